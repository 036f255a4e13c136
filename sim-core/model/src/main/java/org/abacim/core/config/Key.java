package org.abacim.core.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a config key means, declared on the record component that binds it, so that the key's description, unit and
 * default live in one place: {@link KeyCatalog} reads them for docs/config.md (generated) and {@code abacim keys},
 * and a default given here is the one binding fills in ({@link KeyCatalog#defaults}). The key's type and, for a
 * physical quantity, its unit follow from the component's Java type.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Key {
    /** One line: what the key means, for a reader who has the paper at hand. */
    String doc();

    /** The unit of a plain number (LSB, σ, bits); physical quantities carry theirs in their type. */
    String unit() default "";

    /** The value, as YAML, a config that leaves the key out gets; empty when the key is required. */
    String defaultValue() default "";

    /** How a user writes a value whose Java type does not say it (a value with its own reader, like auto or a number). */
    String type() default "";

    /** An optional section: leaving it out means "not run", so its keys' defaults apply only when it is present. */
    boolean optional() default false;
}
