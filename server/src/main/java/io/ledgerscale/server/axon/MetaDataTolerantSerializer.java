// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import io.ledgerscale.domain.api.bounds.Excerpts;
import java.nio.charset.StandardCharsets;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.Converter;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.SerializedType;
import org.axonframework.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event serializer, except that metadata which cannot be read becomes metadata that says so.
 *
 * <p>Why: every reader of an event's metadata — the audit trail's handler, the correlation data of
 * each unit of work, the dead-letter queue when it stores a failed event — would otherwise fail on
 * one stored event with unreadable metadata (a restored backup, a hand edit, a bug in an older
 * version), and the audit trail would have to set the event aside instead of recording it with what
 * can be known. Payloads need no such care: an unreadable payload fails inside its handler and is
 * set aside like any other failure.
 */
final class MetaDataTolerantSerializer implements Serializer {
  /** The key under which a stand-in records what could not be read. */
  static final String UNREADABLE = "unreadableMetaData";

  private static final Logger log = LoggerFactory.getLogger(MetaDataTolerantSerializer.class);

  private final Serializer delegate;

  MetaDataTolerantSerializer(Serializer delegate) {
    this.delegate = delegate;
  }

  @Override
  public <T> SerializedObject<T> serialize(Object object, Class<T> expectedRepresentation) {
    return delegate.serialize(object, expectedRepresentation);
  }

  @Override
  public <T> boolean canSerializeTo(Class<T> expectedRepresentation) {
    return delegate.canSerializeTo(expectedRepresentation);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <S, T> T deserialize(SerializedObject<S> serializedObject) {
    try {
      return delegate.deserialize(serializedObject);
    } catch (RuntimeException e) {
      if (serializedObject == null
          || !MetaData.class.getName().equals(serializedObject.getType().getName())) {
        throw e;
      }
      String excerpt = excerpt(serializedObject);
      log.warn("stored event metadata could not be read ({}); read as {}", e.getClass(), excerpt);
      return (T) MetaData.with(UNREADABLE, excerpt);
    }
  }

  private String excerpt(SerializedObject<?> serialized) {
    Object data = serialized.getData();
    String text;
    if (data instanceof byte[] bytes) {
      text = new String(bytes, StandardCharsets.UTF_8);
    } else {
      text = String.valueOf(data);
    }
    return Excerpts.of(text);
  }

  @Override
  public Class classForType(SerializedType type) {
    return delegate.classForType(type);
  }

  @Override
  public SerializedType typeForClass(Class type) {
    return delegate.typeForClass(type);
  }

  @Override
  public Converter getConverter() {
    return delegate.getConverter();
  }
}
