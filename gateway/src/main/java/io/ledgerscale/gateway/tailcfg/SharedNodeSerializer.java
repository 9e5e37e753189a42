// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.gateway.tailcfg;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link SharedNodes shared} peer entry as its bytes written once, any other {@link Node}
 * as Jackson would. Splices only into a plain UTF-8 byte generator of {@link TailcfgJson#MAPPER}
 * (what every message on the wire is written with), where the result is the same bytes; trees,
 * pretty printing and other writers get the entry serialised as usual.
 */
final class SharedNodeSerializer extends JsonSerializer<Object>
    implements ContextualSerializer, ResolvableSerializer {
  private final JsonSerializer<Object> plain;

  private SharedNodeSerializer(JsonSerializer<Object> plain) {
    this.plain = plain;
  }

  /** Wraps Jackson's own serializer of {@link Node}. */
  static SimpleModule module() {
    SimpleModule m = new SimpleModule("shared-nodes");
    m.setSerializerModifier(
        new BeanSerializerModifier() {
          @Override
          @SuppressWarnings("unchecked")
          public JsonSerializer<?> modifySerializer(
              SerializationConfig config, BeanDescription desc, JsonSerializer<?> serializer) {
            return desc.getBeanClass() == Node.class
                ? new SharedNodeSerializer((JsonSerializer<Object>) serializer)
                : serializer;
          }
        });
    return m;
  }

  private static final Utf8 STAND_IN = new Utf8(new byte[] {SharedNodes.STAND_IN});

  @Override
  public void serialize(Object value, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    boolean wire =
        gen instanceof UTF8JsonGenerator
            && gen.getPrettyPrinter() == null
            && gen.getCodec() == TailcfgJson.MAPPER;
    SharedNodes.Splices observer =
        wire && provider.getAttribute(SharedNodes.Splices.class) instanceof SharedNodes.Splices o
            ? o
            : null;
    Node node = (Node) value;
    if (observer != null) {
      switch (observer.write(node)) {
        case NOTHING:
          return;
        case STAND_IN:
          gen.writeRawValue(STAND_IN);
          observer.stoodIn(gen.getOutputBuffered());
          return;
        case ENTRY:
          break;
      }
    }
    byte[] json = wire ? SharedNodes.json(node) : null;
    if (json == null) {
      plain.serialize(value, gen, provider);
    } else {
      gen.writeRawValue(new Utf8(json));
      if (observer != null) {
        observer.spliced(node, json.length, gen.getOutputBuffered());
      }
    }
  }

  @Override
  public void serializeWithType(
      Object value, JsonGenerator gen, SerializerProvider provider, TypeSerializer typeSer)
      throws IOException {
    plain.serializeWithType(value, gen, provider, typeSer);
  }

  @Override
  public boolean isEmpty(SerializerProvider provider, Object value) {
    return plain.isEmpty(provider, value);
  }

  @Override
  public void resolve(SerializerProvider provider) throws JsonMappingException {
    if (plain instanceof ResolvableSerializer r) {
      r.resolve(provider);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property)
      throws JsonMappingException {
    if (plain instanceof ContextualSerializer c) {
      JsonSerializer<?> contextual = c.createContextual(provider, property);
      if (contextual != plain) {
        return new SharedNodeSerializer((JsonSerializer<Object>) contextual);
      }
    }
    return this;
  }

  @Override
  public Class<Object> handledType() {
    return plain.handledType();
  }

  /**
   * Bytes that are already JSON, for {@link JsonGenerator#writeRawValue}; the UTF-8 generator asks
   * only for the unquoted bytes, the rest is there to honour the interface.
   */
  private record Utf8(byte[] bytes) implements SerializableString {
    @Override
    public String getValue() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
      return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
      return new SerializedString(getValue()).asQuotedChars();
    }

    @Override
    public byte[] asUnquotedUTF8() {
      return bytes;
    }

    @Override
    public byte[] asQuotedUTF8() {
      return new SerializedString(getValue()).asQuotedUTF8();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
      return new SerializedString(getValue()).appendQuotedUTF8(buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
      return new SerializedString(getValue()).appendQuoted(buffer, offset);
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
      if (offset + bytes.length > buffer.length) {
        return -1;
      }
      System.arraycopy(bytes, 0, buffer, offset, bytes.length);
      return bytes.length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
      return new SerializedString(getValue()).appendUnquoted(buffer, offset);
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
      return new SerializedString(getValue()).writeQuotedUTF8(out);
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
      out.write(bytes);
      return bytes.length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) throws IOException {
      return new SerializedString(getValue()).putQuotedUTF8(buffer);
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
      if (bytes.length > buffer.remaining()) {
        return -1;
      }
      buffer.put(bytes);
      return bytes.length;
    }
  }
}
