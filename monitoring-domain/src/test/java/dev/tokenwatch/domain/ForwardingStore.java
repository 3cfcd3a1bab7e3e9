package dev.tokenwatch.domain;

import dev.tokenwatch.domain.port.UsageStore;

/** A store passing every call to another: tests override the calls they break. */
class ForwardingStore extends ForwardingUsageStore {

  ForwardingStore(UsageStore inner) {
    super(inner);
  }
}
