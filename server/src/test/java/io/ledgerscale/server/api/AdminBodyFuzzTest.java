// SPDX-License-Identifier: Apache-2.0
package io.ledgerscale.server.api;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerscale.admin.apikey.ApiKeyController;
import io.ledgerscale.admin.auth.AuthController;
import io.ledgerscale.admin.node.NodeController;
import io.ledgerscale.admin.policy.PolicyController;
import io.ledgerscale.admin.preauthkey.PreAuthKeyController;
import io.ledgerscale.admin.user.UserController;
import io.ledgerscale.testing.FuzzDeadline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.mock.http.MockHttpInputMessage;

/**
 * The admin API's request bodies, read as Spring MVC reads them: Spring Boot's ObjectMapper built
 * from the server's own application.yml, behind the JSON message converter. Garbage is an {@link
 * HttpMessageNotReadableException} or an IOException (both the exception handler's 400 problem),
 * never another exception.
 */
class AdminBodyFuzzTest {
  private static final List<Class<?>> BODIES =
      List.of(
          UserController.CreateUserRequest.class,
          PreAuthKeyController.CreatePreAuthKeyRequest.class,
          PreAuthKeyController.KeyIdRequest.class,
          ApiKeyController.CreateApiKeyRequest.class,
          ApiKeyController.KeyRequest.class,
          PolicyController.PolicyRequest.class,
          NodeController.TagsRequest.class,
          NodeController.RoutesRequest.class,
          NodeController.TransferRequest.class,
          AuthController.AuthRegisterRequest.class,
          AuthController.AuthRequest.class);

  private static final MappingJackson2HttpMessageConverter CONVERTER =
      new MappingJackson2HttpMessageConverter(serverObjectMapper());

  @DictionaryEntries({
    "\"name\"",
    "\"display_name\"",
    "\"email\"",
    "\"user\"",
    "\"reusable\"",
    "\"expiration\"",
    "\"aclTags\"",
    "\"acl_tags\"",
    "\"id\"",
    "\"prefix\"",
    "\"policy\"",
    "\"tags\"",
    "\"routes\"",
    "\"auth_id\"",
    "\"authId\"",
    "\"reason\"",
    "+999999999-12-31T23:59:59Z",
    "9223372036854775808",
    "1e999"
  })
  @FuzzTest(maxDuration = "20s")
  void refusesGarbageAsUnreadable(FuzzedDataProvider data) throws Exception {
    Class<?> type = data.pickValue(BODIES);
    byte[] body = data.consumeRemainingAsBytes();
    FuzzDeadline.run(
        Duration.ofSeconds(10),
        () -> {
          MockHttpInputMessage in = new MockHttpInputMessage(body);
          in.getHeaders().setContentType(MediaType.APPLICATION_JSON);
          try {
            CONVERTER.read(type, in);
          } catch (HttpMessageNotReadableException | IOException refused) {
            // the 400 problem: Spring MVC's body resolver wraps an IOException of the converter (an
            // encoding Jackson cannot decode, say) into HttpMessageNotReadableException too
          }
        });
  }

  /** The ObjectMapper Spring Boot builds for the server, from its own spring.jackson settings. */
  private static ObjectMapper serverObjectMapper() {
    AtomicReference<ObjectMapper> mapper = new AtomicReference<>();
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class))
        .withInitializer(
            context -> {
              try {
                new YamlPropertySourceLoader()
                    .load("application.yml", new ClassPathResource("application.yml"))
                    .forEach(p -> context.getEnvironment().getPropertySources().addLast(p));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            })
        .run(context -> mapper.set(context.getBean(ObjectMapper.class)));
    return mapper.get();
  }
}
