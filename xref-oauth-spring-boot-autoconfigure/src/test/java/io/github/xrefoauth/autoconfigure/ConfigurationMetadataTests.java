package io.github.xrefoauth.autoconfigure;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar describes every property to IDEs, with its default.
 */
class ConfigurationMetadataTests {

	@Test
	void everyPropertyHasADescriptionAndTheDefaultsAreListed() throws Exception {
		JsonNode metadata;
		try (InputStream json = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			metadata = JsonMapper.shared().readTree(json);
		}
		List<JsonNode> properties = metadata.get("properties").valueStream().toList();

		assertThat(properties).extracting((property) -> property.get("name").asString())
			.contains("xref.oauth.client-id", "xref.oauth.client-secret", "xref.oauth.redirect-uri",
					"xref.oauth.login-uri", "xref.oauth.api-uri", "xref.oauth.enabled", "xref.oauth.success-url",
					"xref.oauth.failure-url");
		assertThat(properties).allSatisfy(
				(property) -> assertThat(property.path("description").asString()).as(property.get("name").asString())
					.isNotBlank());
		Map<String, String> defaults = Map.of("xref.oauth.login-uri", "https://login.xref.com", "xref.oauth.api-uri",
				"https://api-open.xref.com", "xref.oauth.enabled", "true");
		defaults.forEach((name, value) -> assertThat(properties)
			.filteredOn((property) -> property.get("name").asString().equals(name))
			.singleElement()
			.satisfies((property) -> assertThat(property.get("defaultValue").asString()).isEqualTo(value)));
	}

}
