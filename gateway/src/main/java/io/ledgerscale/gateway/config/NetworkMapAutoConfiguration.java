// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.config;

import io.ledgerscale.domain.api.connectivity.ConnectivityStore;
import io.ledgerscale.domain.policy.topology.TailnetSettings;
import io.ledgerscale.gateway.machine.MapStreams;
import io.ledgerscale.gateway.map.ClientReports;
import io.ledgerscale.gateway.map.MapHousekeeping;
import io.ledgerscale.gateway.map.MapSettings;
import io.ledgerscale.gateway.map.NetworkMap;
import io.ledgerscale.gateway.map.NetworkMapEvents;
import io.ledgerscale.gateway.map.ReadSide;
import io.ledgerscale.gateway.map.TailnetLoader;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The node map behind {@code /machine/map}, present when the server provides {@link MapSettings}
 * and a {@link ConnectivityStore} (the gateway alone, as in its own tests, has neither).
 */
@AutoConfiguration(
    afterName = "org.axonframework.springboot.autoconfig.AxonAutoConfiguration",
    before = GatewayAutoConfiguration.class)
@ConditionalOnBean({MapSettings.class, ConnectivityStore.class, QueryGateway.class})
public class NetworkMapAutoConfiguration {
  /** From a change that reaches its streams at once to one stuck behind a slow read. */
  static final Duration[] CHANGE_DELAY_BUCKETS =
      java.util.stream.LongStream.of(
              5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000)
          .mapToObj(Duration::ofMillis)
          .toArray(Duration[]::new);

  /**
   * From a change one stream shows to one every stream of a large tailnet shows (Micrometer takes
   * no 0 bucket: a change no stream shows counts in the first one, and in _count).
   */
  static final double[] FAN_OUT_BUCKETS = {
    1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000
  };

  @Bean
  @ConditionalOnMissingBean
  public MapStreams mapStreams() {
    return new MapStreams();
  }

  /** A bean of its own so the server's health can say when the stored policy does not compile. */
  @Bean
  @ConditionalOnMissingBean
  public TailnetLoader tailnetLoader(
      QueryGateway queries,
      ConnectivityStore connectivity,
      ObjectProvider<TailnetSettings> settings) {
    return new TailnetLoader(
        queries, connectivity, settings.getIfAvailable(() -> TailnetSettings.NONE));
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public NetworkMap networkMap(
      TailnetLoader loader,
      ConnectivityStore connectivity,
      MapStreams streams,
      MapSettings settings,
      ObjectProvider<MeterRegistry> meters,
      ClientReports reports) {
    NetworkMap map = new NetworkMap(loader, connectivity, streams, settings, Clock.systemUTC());
    // required: without it the routes and hostnames clients report would be dropped unnoticed
    map.passClientReportsTo(reports);
    MeterRegistry registry = meters.getIfAvailable();
    // metrics are optional (none in a context without Micrometer): the map then records nothing
    if (registry != null) {
      // fixed buckets, so Prometheus can aggregate the histogram across instances
      Timer timer =
          Timer.builder("ledgerscale.map.change.delay")
              .description("from an admin event to the delta on the affected map streams")
              .serviceLevelObjectives(CHANGE_DELAY_BUCKETS)
              .register(registry);
      map.recordDelaysWith(timer::record);
      DistributionSummary fanOut =
          DistributionSummary.builder("ledgerscale.map.change.deltas")
              .description("map streams that got a delta for one admin change")
              .serviceLevelObjectives(FAN_OUT_BUCKETS)
              .register(registry);
      map.recordFanOutWith(fanOut::record);
    }
    return map;
  }

  @Bean
  public NetworkMapEvents networkMapEvents(
      NetworkMap map, ConnectivityStore connectivity, QueryGateway queries) {
    return new NetworkMapEvents(map, connectivity, new ReadSide(queries));
  }

  /**
   * The map's event handler feeds this instance's live streams, so every instance must see every
   * event, whichever instance's command produced it (ADR 0003): a streaming processor of its own on
   * the shared event store, starting at the head, with its token in memory. Nothing is written to
   * the token table, no claim is shared with the other instances, and a restart starts again at the
   * head (a reconnecting client gets a complete map anyway).
   */
  @Bean
  public ConfigurerModule networkMapProcessor() {
    return configurer ->
        configurer
            .eventProcessing()
            .registerTokenStore(NetworkMapEvents.GROUP, c -> new InMemoryTokenStore())
            .registerPooledStreamingEventProcessor(
                NetworkMapEvents.GROUP,
                org.axonframework.config.Configuration::eventStore,
                (c, builder) ->
                    builder
                        .initialSegmentCount(1)
                        .initialToken(StreamableMessageSource::createHeadToken)
                        .batchSize(NetworkMapEvents.BATCH_SIZE));
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnBean(CommandGateway.class)
  public MapHousekeeping mapHousekeeping(
      NetworkMap map,
      ConnectivityStore connectivity,
      QueryGateway queries,
      CommandGateway commands,
      MapSettings settings,
      @Value("${ledgerscale.map.housekeeping-interval:30s}") Duration every) {
    return new MapHousekeeping(
            map,
            connectivity,
            queries,
            commands,
            settings.ephemeralInactivityTimeout(),
            Clock.systemUTC())
        .start(every);
  }
}
