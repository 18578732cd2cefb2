package io.github.xrefoauth.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The library's layers: a core that knows neither servlet nor WebFlux, the JDBC code
 * beside it, the servlet and WebFlux adapters on top, and the auto-configuration over all
 * of them. These rules keep a later change from undoing that shape.
 */
@AnalyzeClasses(packages = "io.github.xrefoauth", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

	private static final String[] CORE = { "io.github.xrefoauth.account..", "io.github.xrefoauth.token..",
			"io.github.xrefoauth.event..", "io.github.xrefoauth.connect..", "io.github.xrefoauth.client..",
			"io.github.xrefoauth.observation..", "io.github.xrefoauth.authorizedclient..",
			"io.github.xrefoauth.internal..", "io.github.xrefoauth.health.." };

	@ArchTest
	static final ArchRule packagesAreFreeOfCycles = slices().matching("io.github.xrefoauth.(**)")
		.should()
		.beFreeOfCycles();

	@ArchTest
	static final ArchRule layersAreRespected = layeredArchitecture().consideringOnlyDependenciesInLayers()
		.layer("Core")
		.definedBy(CORE)
		.layer("JDBC")
		.definedBy("io.github.xrefoauth.jdbc..")
		.layer("Operations")
		.definedBy("io.github.xrefoauth.webhook..", "io.github.xrefoauth.actuate..")
		.layer("Servlet")
		.definedBy("io.github.xrefoauth.web")
		.layer("WebFlux")
		.definedBy("io.github.xrefoauth.web.server..")
		.layer("Auto-configuration")
		.definedBy("io.github.xrefoauth.autoconfigure..")
		.whereLayer("Auto-configuration")
		.mayNotBeAccessedByAnyLayer()
		.whereLayer("Servlet")
		.mayOnlyBeAccessedByLayers("Auto-configuration")
		.whereLayer("WebFlux")
		.mayOnlyBeAccessedByLayers("Auto-configuration")
		.whereLayer("Operations")
		.mayOnlyBeAccessedByLayers("Servlet", "Auto-configuration")
		.whereLayer("JDBC")
		.mayOnlyBeAccessedByLayers("Servlet", "WebFlux", "Auto-configuration")
		.whereLayer("Core")
		.mayOnlyBeAccessedByLayers("JDBC", "Operations", "Servlet", "WebFlux", "Auto-configuration");

	@ArchTest
	static final ArchRule coreKnowsNoWebStack = noClasses().that()
		.resideInAnyPackage(CORE)
		.or()
		.resideInAPackage("io.github.xrefoauth.jdbc..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("jakarta.servlet..", "org.springframework.web.server..",
				"org.springframework.web.servlet..", "org.springframework.http.server..",
				"org.springframework.security.web..", "org.springframework.security.config..");

	@ArchTest
	static final ArchRule servletAdaptersKnowNoWebFlux = noClasses().that()
		.resideInAPackage("io.github.xrefoauth.web")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("org.springframework.web.server..", "org.springframework.security.web.server..");

	@ArchTest
	static final ArchRule webFluxAdaptersKnowNoServlet = noClasses().that()
		.resideInAPackage("io.github.xrefoauth.web.server..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage("jakarta.servlet..");

	@ArchTest
	static final ArchRule webFluxTypesAreNamedAsSpringSecurityNamesThem = classes().that()
		.resideInAPackage("io.github.xrefoauth.web.server..")
		.and()
		.areTopLevelClasses()
		.and()
		.doNotHaveSimpleName("package-info")
		.should()
		.haveSimpleNameStartingWith("Server")
		.orShould()
		.haveSimpleNameStartingWith("Reactive")
		.orShould()
		.haveSimpleNameEndingWith("WebFilter")
		.orShould()
		.haveSimpleNameContaining("Server");

}
