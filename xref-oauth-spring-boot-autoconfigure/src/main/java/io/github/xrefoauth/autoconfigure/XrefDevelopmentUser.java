package io.github.xrefoauth.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.util.StringUtils;

/**
 * The development user of {@code spring.security.user.*} as Spring Boot makes it, for the
 * servlet and the reactive development-user auto-configurations.
 */
final class XrefDevelopmentUser {

	private static final Log logger = LogFactory.getLog(XrefDevelopmentUser.class);

	private XrefDevelopmentUser() {
	}

	/**
	 * Returns the user, logging a generated password as Spring Boot does.
	 * @param properties the security properties
	 * @param passwordEncoder the application's password encoder, if any
	 * @return the user
	 */
	static UserDetails of(SecurityProperties properties, ObjectProvider<PasswordEncoder> passwordEncoder) {
		SecurityProperties.User user = properties.getUser();
		String password = user.getPassword();
		if (user.isPasswordGenerated()) {
			logger.warn(String.format("%n%nUsing generated security password: %s%n%nThis generated password is for "
					+ "development use only. Your security configuration must be updated before running your "
					+ "application in production.%n", password));
		}
		if (passwordEncoder.getIfAvailable() == null && !password.matches("^\\{.+}.*$")) {
			password = "{noop}" + password;
		}
		return User.withUsername(user.getName())
			.password(password)
			.roles(StringUtils.toStringArray(user.getRoles()))
			.build();
	}

}
