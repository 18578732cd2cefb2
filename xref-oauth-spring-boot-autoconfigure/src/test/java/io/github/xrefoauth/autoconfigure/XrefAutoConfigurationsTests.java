package io.github.xrefoauth.autoconfigure;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's auto-configurations: few, each registered, and turned off by
 * {@code xref.oauth.enabled} without each checking it.
 */
class XrefAutoConfigurationsTests {

	private static final String PACKAGE = XrefOAuthAutoConfiguration.class.getPackageName();

	@Test
	void importsListAtMostSevenClassesAndEachIsAnAutoConfiguration() throws Exception {
		List<String> names = registered();

		assertThat(names).isNotEmpty().hasSizeLessThanOrEqualTo(7).doesNotHaveDuplicates();
		for (String name : names) {
			Class<?> type = ClassUtils.forName(name, getClass().getClassLoader());
			assertThat(type).as(name).hasAnnotation(AutoConfiguration.class);
			assertThat(Modifier.isPublic(type.getModifiers()) && Modifier.isFinal(type.getModifiers())).as(name)
				.isTrue();
		}
	}

	@Test
	void everyAutoConfigurationOfThePackageIsListedInTheImports() {
		AnnotationTypeFilter autoConfigurations = new AnnotationTypeFilter(AutoConfiguration.class);
		ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false) {

			@Override
			protected boolean isCandidateComponent(MetadataReader metadataReader) throws IOException {
				// Every one, whatever its conditions
				return autoConfigurations.match(metadataReader, getMetadataReaderFactory());
			}

		};
		List<String> declared = scanner.findCandidateComponents(PACKAGE)
			.stream()
			.map(BeanDefinition::getBeanClassName)
			.toList();

		assertThat(registered()).containsExactlyInAnyOrderElementsOf(declared);
	}

	@Test
	void onlyTheCoreAndTheJdbcStoreThatRunsBeforeItCheckWhetherTheStarterIsEnabled() throws Exception {
		List<String> checking = new ArrayList<>();
		for (String name : registered()) {
			for (Class<?> type : withNestedAndImported(ClassUtils.forName(name, getClass().getClassLoader()))) {
				MergedAnnotations.from(type)
					.stream(ConditionalOnBooleanProperty.class)
					.filter((condition) -> List.of(condition.getStringArray("name")).contains("xref.oauth.enabled"))
					.forEach((condition) -> checking.add(type.getName()));
			}
		}

		assertThat(checking).containsExactlyInAnyOrder(XrefOAuthAutoConfiguration.class.getName(),
				XrefJdbcStoreAutoConfiguration.class.getName());
	}

	private List<String> registered() {
		return ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader())
			.getCandidates()
			.stream()
			.filter((name) -> name.startsWith(PACKAGE + "."))
			.toList();
	}

	private static Set<Class<?>> withNestedAndImported(Class<?> type) {
		Set<Class<?>> types = new LinkedHashSet<>();
		collect(type, types);
		return types;
	}

	private static void collect(Class<?> type, Set<Class<?>> types) {
		if (!types.add(type)) {
			return;
		}
		for (Class<?> nested : type.getDeclaredClasses()) {
			collect(nested, types);
		}
		Import imports = type.getAnnotation(Import.class);
		if (imports != null) {
			for (Class<?> imported : imports.value()) {
				collect(imported, types);
			}
		}
	}

}
