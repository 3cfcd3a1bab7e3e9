package dev.tokenwatch.notifier.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenwatch.domain.Alert;
import dev.tokenwatch.domain.AlertLevel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertQueueTest {

  private static Alert alert(AlertLevel level, String name) {
    return SlackAlertSinkTest.alert(level, name);
  }

  private static List<String> takeAll(AlertQueue queue) throws InterruptedException {
    queue.close();
    List<String> names = new ArrayList<>();
    Alert a;
    while ((a = queue.take()) != null) {
      names.add(a.budgetName());
    }
    return names;
  }

  @Test
  void keepsArrivalOrderAcrossLevels() throws Exception {
    AlertQueue queue = new AlertQueue(10);
    queue.offer(alert(AlertLevel.WARNING, "1"));
    queue.offer(alert(AlertLevel.INFO, "2"));
    queue.offer(alert(AlertLevel.CRITICAL, "3"));
    queue.offer(alert(AlertLevel.INFO, "4"));

    assertThat(takeAll(queue)).containsExactly("1", "2", "3", "4");
  }

  @Test
  void whenFullTheOldestInfoGoesFirst() throws Exception {
    AlertQueue queue = new AlertQueue(3);
    queue.offer(alert(AlertLevel.WARNING, "w1"));
    queue.offer(alert(AlertLevel.INFO, "i1"));
    queue.offer(alert(AlertLevel.INFO, "i2"));

    AlertQueue.Offer offer = queue.offer(alert(AlertLevel.WARNING, "w2"));

    assertThat(offer.accepted()).isTrue();
    assertThat(offer.dropped().budgetName()).isEqualTo("i1");
    assertThat(takeAll(queue)).containsExactly("w1", "i2", "w2");
  }

  @Test
  void aNewInfoIsDroppedItselfWhenNothingLowerIsQueued() throws Exception {
    AlertQueue queue = new AlertQueue(2);
    queue.offer(alert(AlertLevel.WARNING, "w1"));
    queue.offer(alert(AlertLevel.CRITICAL, "c1"));

    AlertQueue.Offer offer = queue.offer(alert(AlertLevel.INFO, "i1"));

    assertThat(offer.accepted()).isFalse();
    assertThat(offer.dropped().budgetName()).isEqualTo("i1");
    assertThat(takeAll(queue)).containsExactly("w1", "c1");
  }

  @Test
  void criticalIsNeverDroppedTheQueueGrowsInstead() throws Exception {
    AlertQueue queue = new AlertQueue(2);
    queue.offer(alert(AlertLevel.CRITICAL, "c1"));
    queue.offer(alert(AlertLevel.CRITICAL, "c2"));

    AlertQueue.Offer warning = queue.offer(alert(AlertLevel.WARNING, "w1"));
    AlertQueue.Offer critical = queue.offer(alert(AlertLevel.CRITICAL, "c3"));

    assertThat(warning.accepted()).isFalse();
    assertThat(critical.accepted()).isTrue();
    assertThat(critical.dropped()).isNull();
    assertThat(queue.size()).isEqualTo(3);
    assertThat(takeAll(queue)).containsExactly("c1", "c2", "c3");
  }

  @Test
  void aClosedQueueAcceptsNothing() {
    AlertQueue queue = new AlertQueue(2);
    queue.close();

    AlertQueue.Offer offer = queue.offer(alert(AlertLevel.CRITICAL, "late"));

    assertThat(offer.accepted()).isFalse();
    assertThat(offer.dropped()).isNull();
    assertThat(queue.size()).isZero();
  }
}
