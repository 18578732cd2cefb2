package io.github.xrefoauth.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample platform. Run it with {@code ./mvnw -pl sample-app -am spring-boot:run} and
 * open {@code http://localhost:8080}.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
