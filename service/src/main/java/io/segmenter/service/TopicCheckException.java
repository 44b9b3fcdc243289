package io.segmenter.service;

/**
 * An existing topic cannot work as segmenter needs it (wrong partition count, not compacted), or a
 * topic is missing while segmenter may not create it. The message names the topic, what it has and
 * what it needs; {@code run} reports it and exits 2, like a bad setting: the operator must fix the
 * cluster or the setting, and retrying will not help.
 */
public final class TopicCheckException extends RuntimeException {
  public TopicCheckException(String message) {
    super(message);
  }
}
