package io.github.xrefoauth.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Public means promised: every public top-level type of the library says since when it is
 * there.
 */
class PublicTypesTests {

	private static final Pattern PUBLIC_TYPE = Pattern.compile(
			"^public\\s+(?:final\\s+|abstract\\s+|sealed\\s+|non-sealed\\s+)*(?:class|interface|record|enum|@interface)\\b",
			Pattern.MULTILINE);

	@Test
	void everyPublicTypeSaysSinceWhenItIsThere() throws IOException {
		List<Path> sources = sources();
		assertThat(sources).isNotEmpty();
		assertThat(sources).filteredOn(PublicTypesTests::isPublicType)
			.isNotEmpty()
			.allSatisfy((source) -> assertThat(javadocOfType(source)).as(source.toString()).contains("@since 0.1.0"));
	}

	private static List<Path> sources() throws IOException {
		try (Stream<Path> paths = Files.walk(Path.of("src/main/java"))) {
			return paths.filter((path) -> path.toString().endsWith(".java"))
				.filter((path) -> !path.endsWith("package-info.java"))
				.toList();
		}
	}

	private static boolean isPublicType(Path source) {
		return PUBLIC_TYPE.matcher(read(source)).find();
	}

	private static String javadocOfType(Path source) {
		String text = read(source);
		Matcher declaration = PUBLIC_TYPE.matcher(text);
		declaration.find();
		String head = text.substring(0, declaration.start());
		int start = head.lastIndexOf("/**");
		return (start >= 0) ? head.substring(start) : "";
	}

	private static String read(Path source) {
		try {
			return Files.readString(source);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
