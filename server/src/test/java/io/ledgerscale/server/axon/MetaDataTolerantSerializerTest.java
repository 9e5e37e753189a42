// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.axon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedMetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.serialization.SimpleSerializedType;
import org.junit.jupiter.api.Test;

class MetaDataTolerantSerializerTest {
  private final Serializer serializer = new AxonConfiguration().serializer();

  @Test
  void shouldReadStoredMetaDataAsBefore() {
    SerializedObject<byte[]> stored =
        serializer.serialize(MetaData.with("actor", "admin"), byte[].class);

    MetaData read =
        serializer.deserialize(new SerializedMetaData<>(stored.getData(), byte[].class));

    assertThat(read).containsEntry("actor", "admin");
  }

  @Test
  void shouldReadUnreadableMetaDataAsAStandInSayingSo() {
    byte[] garbage = ("{\"actor\": \u0000" + "x".repeat(5000)).getBytes(StandardCharsets.UTF_8);

    MetaData read = serializer.deserialize(new SerializedMetaData<>(garbage, byte[].class));

    assertThat(read).containsOnlyKeys(MetaDataTolerantSerializer.UNREADABLE);
    String excerpt = (String) read.get(MetaDataTolerantSerializer.UNREADABLE);
    assertThat(excerpt).hasSizeLessThan(200).doesNotContain("\u0000").contains("(5011 chars)");
  }

  @Test
  void shouldStillFailOnAnUnreadablePayload() {
    SimpleSerializedObject<byte[]> payload =
        new SimpleSerializedObject<>(
            "{\"name\": [".getBytes(StandardCharsets.UTF_8),
            byte[].class,
            new SimpleSerializedType(MetaDataHolder.class.getName(), null));

    assertThatThrownBy(() -> serializer.deserialize(payload)).isInstanceOf(RuntimeException.class);
  }

  record MetaDataHolder(String name) {}
}
