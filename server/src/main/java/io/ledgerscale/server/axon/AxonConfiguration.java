// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ledgerscale.domain.support.RefusalsCommit;
import io.ledgerscale.gateway.map.NetworkMap;
import io.ledgerscale.gateway.map.NetworkMapEvents;
import io.ledgerscale.server.config.LedgerscaleConfig;
import io.ledgerscale.server.deadletter.NetworkMapSkips;
import io.ledgerscale.server.deadletter.ProjectionDeadLetterQueues;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import org.axonframework.queryhandling.LoggingQueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryBusSpanFactory;
import org.axonframework.queryhandling.QueryInvocationErrorHandler;
import org.axonframework.queryhandling.QueryUpdateEmitter;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Axon on PostgreSQL without Axon Server: Jackson everywhere (events readable in the database, no
 * XStream), the JDBC event store with a duplicate-key resolver that understands PostgreSQL, a
 * command bus that commits refusals and lets only so many commands hold a connection at once, a
 * gateway that retries lost races, audit metadata carried from commands to events, and pooled
 * streaming processors that set a failed event aside instead of stopping on it.
 */
@Configuration(proxyBeanMethods = false)
public class AxonConfiguration {
  /** Retries of a command that lost a concurrent append; each retry reloads the aggregates. */
  static final int MAX_RETRIES = 8;

  static final int RETRY_THREADS = 4;

  /**
   * Events a streaming processor handles in one transaction at most. One event per transaction
   * (Axon's default) costs a token update and a commit per event and processor, which in a burst of
   * registrations was most of the database's work; a batch takes only what has already arrived, so
   * a lone event is still handled at once. Each handler keeps its own savepoint, so a failed event
   * is still set aside alone.
   */
  static final int PROCESSOR_BATCH_SIZE = 64;

  /**
   * What a caller refused as busy is told to wait: a burst of registrations drains in about this
   * long.
   */
  static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(AxonConfiguration.class);

  /**
   * Messages, events and tokens: records and Axon's annotated token classes, by their properties.
   */
  static ObjectMapper messageMapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /**
   * Snapshots: aggregates keep private state without getters, so they are written field by field.
   */
  static ObjectMapper snapshotMapper() {
    return messageMapper()
        .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
        .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
  }

  @Bean
  @Primary
  public Serializer serializer() {
    return new MetaDataTolerantSerializer(
        JacksonSerializer.builder()
            .objectMapper(messageMapper())
            .revisionResolver(new AnnotationRevisionResolver())
            .build());
  }

  @Bean
  public PersistenceExceptionResolver persistenceExceptionResolver() {
    return new PostgresDuplicateKeyResolver();
  }

  @Bean
  public EventStorageEngine eventStorageEngine(
      Serializer serializer,
      PersistenceExceptionResolver resolver,
      org.axonframework.config.Configuration configuration,
      ConnectionProvider connectionProvider,
      TransactionManager transactionManager) {
    return JdbcEventStorageEngine.builder()
        .snapshotSerializer(
            JacksonSerializer.builder()
                .objectMapper(snapshotMapper())
                .revisionResolver(new AnnotationRevisionResolver())
                .build())
        .upcasterChain(configuration.upcasterChain())
        .persistenceExceptionResolver(resolver)
        .eventSerializer(serializer)
        .snapshotFilter(configuration.snapshotFilter())
        .connectionProvider(connectionProvider)
        .transactionManager(transactionManager)
        .schema(new EventSchema())
        .build();
  }

  /** See {@link #eventStore}: some seconds of a registration burst, as batches of 64 go. */
  static final int CACHED_EVENTS = 1_000;

  /**
   * The event store every streaming processor reads. An event committed by this instance wakes its
   * readers at once; one committed by another instance on the same database is found by polling,
   * every {@code fetchDelay} (Axon's default is a second). A short delay is what lets an admin
   * change made on one instance reach the map streams and read models of the others promptly (ADR
   * 0003); the poll is one indexed query on the event table.
   *
   * <p>The events the processors share as they tail the store are cached, {@link #CACHED_EVENTS} at
   * most (Axon's default is 10,000). Each is held twice, serialised and read, about 3.7 KB: a
   * 1,000-node registration burst (three events a node) kept 11 MB of them after every processor
   * had handled them, a larger fleet up to 37 MB. A processor that falls further behind reads the
   * store itself until it has caught up.
   *
   * <p>Its streams wake the pooled processors as events arrive ({@link WakingEventStore}); Axon's
   * own make them look every 500 ms.
   */
  @Bean
  public EmbeddedEventStore eventStore(
      EventStorageEngine storageEngine,
      org.axonframework.config.Configuration configuration,
      @Value("${ledgerscale.events.fetch-delay:100ms}") Duration fetchDelay) {
    return new WakingEventStore(
        EmbeddedEventStore.builder()
            .storageEngine(storageEngine)
            .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
            .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
            .fetchDelay(fetchDelay.toMillis())
            .timeUnit(TimeUnit.MILLISECONDS)
            .cachedEvents(CACHED_EVENTS));
  }

  @Bean
  public CorrelationDataProvider auditCorrelationDataProvider() {
    return new AuditCorrelationDataProvider();
  }

  /**
   * Fewer commands than the pool has connections, so the read side is never starved by a burst of
   * commands.
   */
  @Bean
  public CommandGate commandGate(LedgerscaleConfig config) {
    CommandGate gate =
        new CommandGate(
            config.database.commandConcurrency(), config.database.commandWait(), BUSY_RETRY_AFTER);
    log.info(
        "commands: at most {} at once on a pool of {} connections; others wait up to {} ms, then are refused"
            + " as busy",
        gate.size(),
        config.database.poolSize(),
        gate.maxWait().toMillis());
    return gate;
  }

  @Bean
  public CommandGateMetrics commandGateMetrics(CommandGate gate) {
    return new CommandGateMetrics(gate);
  }

  @Bean
  @Qualifier("localSegment")
  public SimpleCommandBus commandBus(
      TransactionManager transactionManager,
      org.axonframework.config.Configuration configuration,
      DuplicateCommandHandlerResolver duplicates,
      CommandGate gate) {
    SimpleCommandBus bus =
        new GatedCommandBus(
            SimpleCommandBus.builder()
                .transactionManager(transactionManager)
                .rollbackConfiguration(new RefusalsCommit())
                .duplicateCommandHandlerResolver(duplicates)
                .messageMonitor(configuration.messageMonitor(CommandBus.class, "commandBus")),
            gate);
    bus.registerHandlerInterceptor(
        new CorrelationDataInterceptor<>(configuration.correlationDataProviders()));
    return bus;
  }

  /**
   * Axon's own query bus, as its auto-configuration would build it, except that a query failed by
   * an unreachable database answers DatabaseUnavailableException (see OutageTranslatingQueryBus).
   */
  @Bean
  @Qualifier("localSegment")
  public SimpleQueryBus queryBus(
      org.axonframework.config.Configuration configuration, TransactionManager transactionManager) {
    return new OutageTranslatingQueryBus(
        SimpleQueryBus.builder()
            .messageMonitor(configuration.messageMonitor(QueryBus.class, "queryBus"))
            .transactionManager(transactionManager)
            .errorHandler(
                configuration.getComponent(
                    QueryInvocationErrorHandler.class,
                    () -> LoggingQueryInvocationErrorHandler.builder().build()))
            .queryUpdateEmitter(configuration.getComponent(QueryUpdateEmitter.class))
            .spanFactory(configuration.getComponent(QueryBusSpanFactory.class)));
  }

  /**
   * Not a ScheduledExecutorService bean, which Spring's @Scheduled support would otherwise pick up.
   * A retry is dispatched on these threads and may wait at the command gate, so there are a few of
   * them.
   */
  @Bean(destroyMethod = "close")
  public ConcurrencyRetryScheduler concurrencyRetryScheduler() {
    ScheduledExecutorService executor =
        Executors.newScheduledThreadPool(RETRY_THREADS, new AxonThreadFactory("command-retry"));
    return new ConcurrencyRetryScheduler(executor, MAX_RETRIES, 20);
  }

  @Bean
  public CommandGateway commandGateway(
      CommandBus commandBus, ConcurrencyRetryScheduler retryScheduler) {
    return DefaultCommandGateway.builder()
        .commandBus(commandBus)
        .retryScheduler(retryScheduler)
        .build();
  }

  /**
   * Every processing group runs as a pooled streaming processor with one segment. An event a
   * handler fails on never stops a projection: it goes to the group's persistent dead-letter queue
   * (with the later events of its aggregate) and the processor moves on; the live map, whose token
   * is in memory, skips it and reads the whole tailnet again instead (ADR 0005). A failure outside
   * the handlers (the database gone) is still retried, as before.
   */
  @Bean
  public ConfigurerModule streamingProcessors(
      ListableBeanFactory beans,
      ObjectProvider<ConnectionProvider> connections,
      ObjectProvider<NetworkMap> map,
      ObjectProvider<MeterRegistry> meters) {
    return configurer -> {
      EventProcessingConfigurer processing =
          configurer
              .eventProcessing()
              .usingPooledStreamingEventProcessors(
                  (config, builder) ->
                      builder
                          .initialSegmentCount(1)
                          .batchSize(PROCESSOR_BATCH_SIZE)
                          .workerExecutor(name -> oneWorker(config, name)))
              .registerDefaultListenerInvocationErrorHandler(
                  c -> PropagatingErrorHandler.instance())
              .registerListenerInvocationErrorHandler(
                  NetworkMapEvents.GROUP,
                  c -> new NetworkMapSkips(map, meters, NetworkMapEvents.GROUP));
      ProjectionDeadLetterQueues.register(processing, beans, connections);
    };
  }

  /**
   * A processor's work package thread. Axon's default is a pool of four per processor, but a
   * processor with one segment runs one work package at a time: the other three only held a stack
   * each (36 threads across the projections).
   */
  private static ScheduledExecutorService oneWorker(
      org.axonframework.config.Configuration config, String processor) {
    ScheduledExecutorService worker =
        Executors.newScheduledThreadPool(
            1, new AxonThreadFactory("WorkPackage[" + processor + "]"));
    config.onShutdown(worker::shutdown);
    return worker;
  }

  @Bean
  public Clock clock() {
    return Clock.systemUTC();
  }
}
