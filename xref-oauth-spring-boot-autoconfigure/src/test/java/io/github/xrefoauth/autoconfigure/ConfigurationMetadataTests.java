package io.github.xrefoauth.autoconfigure;

import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
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

	@Test
	void everyPropertyOfFixedValuesHasAHintWithEachValueDescribed() throws Exception {
		JsonNode metadata = metadata();
		Map<String, JsonNode> hints = new HashMap<>();
		metadata.get("hints").valueStream().forEach((hint) -> hints.put(hint.get("name").asString(), hint));

		assertThat(hintValues(hints, "xref.oauth.store.type"))
			.containsExactlyElementsOf(Arrays.stream(XrefOAuthProperties.StoreType.values())
				.map((type) -> type.name().toLowerCase(Locale.ROOT))
				.toList());
		assertThat(hintValues(hints, "xref.oauth.store.jdbc.initialize-schema"))
			.containsExactlyInAnyOrderElementsOf(Arrays.stream(DatabaseInitializationMode.values())
				.map((mode) -> mode.name().toLowerCase(Locale.ROOT))
				.toList());
		assertThat(hintValues(hints, "xref.oauth.store.jdbc.platform")).allSatisfy(
				(platform) -> assertThat(new ClassPathResource("io/github/xrefoauth/jdbc/schema-" + platform + ".sql"))
					.as("schema of " + platform)
					.matches(ClassPathResource::exists));
		assertThat(hints.get("xref.oauth.store.jdbc.schema").at("/providers/0/parameters/target").asString())
			.isEqualTo("org.springframework.core.io.Resource");
		hints.values()
			.forEach((hint) -> hint.path("values")
				.valueStream()
				.forEach((value) -> assertThat(value.path("description").asString())
					.as(hint.get("name").asString() + "=" + value.get("value").asString())
					.isNotBlank()));
		List<String> names = metadata.get("properties")
			.valueStream()
			.map((property) -> property.get("name").asString())
			.toList();
		assertThat(names).containsAll(hints.keySet())
			.contains("xref.oauth.webhook.path", "xref.oauth.webhook.max-body-size", "management.endpoint.xref.access");
	}

	private static List<String> hintValues(Map<String, JsonNode> hints, String name) {
		assertThat(hints).as("hint of " + name).containsKey(name);
		return hints.get(name).get("values").valueStream().map((value) -> value.get("value").asString()).toList();
	}

	private static JsonNode metadata() throws Exception {
		try (InputStream json = new ClassPathResource("META-INF/spring-configuration-metadata.json").getInputStream()) {
			return JsonMapper.shared().readTree(json);
		}
	}

}
