/**
 * A small partner platform that connects its tenants' Xref accounts: form login, a
 * dashboard with the tenant's connection, and a local Xref simulator for the demo.
 */
@NullMarked
package io.github.xrefoauth.sample;

import org.jspecify.annotations.NullMarked;
