// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.admin.deadletter;

import io.ledgerscale.admin.support.AdminGateway;
import io.ledgerscale.admin.support.ApiProblem;
import io.ledgerscale.admin.support.AuditContext;
import io.ledgerscale.admin.support.Bounds;
import io.ledgerscale.admin.support.Timestamps;
import io.ledgerscale.domain.api.bounds.InputBounds;
import io.ledgerscale.domain.api.deadletter.RecordDeadLetterEvictionCommand;
import io.ledgerscale.domain.api.deadletter.RecordDeadLetterRetryCommand;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Our extension: the events projections set aside (dead letters), per processing group; retry them
 * once the cause is fixed, or evict a sequence an operator has given up on. Neither changes the
 * tailnet (the event store keeps every event), but both change what a projection knows, so each is
 * recorded as an event with its actor: an eviction in the transaction that evicts, a retry once it
 * has run.
 */
@RestController
@RequestMapping("/api/v1/deadletters")
public class DeadLetterController {
  private static final Logger log = LoggerFactory.getLogger(DeadLetterController.class);

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  private final ObjectProvider<DeadLetters> deadLetters;
  private final AdminGateway gateway;
  private final AuditContext audit;

  public DeadLetterController(
      ObjectProvider<DeadLetters> deadLetters, AdminGateway gateway, AuditContext audit) {
    this.deadLetters = deadLetters;
    this.gateway = gateway;
    this.audit = audit;
  }

  public record LetterJson(
      String group,
      String sequence,
      long sequenceIndex,
      Long position,
      String eventType,
      String eventId,
      String aggregateId,
      Long aggregateSequence,
      String enqueuedAt,
      String lastTouched,
      String errorType,
      String error) {
    static LetterJson of(DeadLetters.Letter l) {
      return new LetterJson(
          l.group(),
          l.sequence(),
          l.sequenceIndex(),
          l.position(),
          l.eventType(),
          l.eventId(),
          l.aggregateId(),
          l.aggregateSequence(),
          Timestamps.format(l.enqueuedAt()),
          Timestamps.format(l.lastTouched()),
          l.errorType(),
          l.error());
    }
  }

  public record ListResponse(List<LetterJson> deadLetters) {}

  public record RetryResponse(String group, long before, long processed, long stillFailing) {}

  public record EvictResponse(String group, String sequence, int evicted) {}

  @GetMapping
  public ListResponse list(
      @RequestParam(name = "group", required = false) String group,
      @RequestParam(name = "limit", required = false) Integer limit) {
    DeadLetters service = service();
    if (group != null) {
      known(service, group);
    }
    int n = limit == null ? DEFAULT_LIMIT : limit;
    if (n < 1 || n > MAX_LIMIT) {
      throw ApiProblem.badRequest("limit must be between 1 and " + MAX_LIMIT);
    }
    return new ListResponse(service.list(group, n).stream().map(LetterJson::of).toList());
  }

  @PostMapping("/{group}/retry")
  public RetryResponse retry(@PathVariable("group") String group) {
    DeadLetters service = service();
    known(service, group);
    log.info("dead letters of {} retried by {}", group, audit.actor().name());
    DeadLetters.Retry r = service.retry(group);
    gateway.send(
        new RecordDeadLetterRetryCommand(group, r.before(), r.processed(), r.stillFailing()));
    return new RetryResponse(r.group(), r.before(), r.processed(), r.stillFailing());
  }

  @DeleteMapping("/{group}/{sequence}")
  public EvictResponse evict(
      @PathVariable("group") String group, @PathVariable("sequence") String sequence) {
    DeadLetters service = service();
    known(service, group);
    Bounds.check(InputBounds.requiredText("sequence", sequence, InputBounds.KEY_TEXT_MAX));
    int evicted =
        service.evict(
            group,
            sequence,
            eventIds ->
                gateway.send(
                    new RecordDeadLetterEvictionCommand(
                        group, sequence, eventIds.size(), eventIds)));
    if (evicted == 0) {
      throw ApiProblem.notFound("no dead letters in sequence " + sequence + " of " + group);
    }
    log.warn(
        "{} dead letter(s) of sequence {} in {} evicted by {}",
        evicted,
        sequence,
        group,
        audit.actor().name());
    return new EvictResponse(group, sequence, evicted);
  }

  private static void known(DeadLetters service, String group) {
    if (!service.groups().contains(group)) {
      throw ApiProblem.notFound("no processing group with a dead-letter queue: " + group);
    }
  }

  private DeadLetters service() {
    DeadLetters service = deadLetters.getIfAvailable();
    if (service == null) {
      throw new ApiProblem(HttpStatus.NOT_IMPLEMENTED, "this server has no dead-letter queues");
    }
    return service;
  }
}
