package org.abacim.core.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A config key that was renamed, declared on the record that binds the keys (a technology's parameters):
 * {@code @Renamed(from = "macro.rows", to = "array.rows", issue = "#30")}. {@link ConfigBinder} looks for the old
 * keys before it binds, and refuses one with a line naming its new name — "c.yaml:4:9 macro.rows: renamed to
 * array.rows (issue #30)" — for config files and {@code --set} alike, instead of "unknown key". Paths are relative to
 * the record.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(Renamed.List.class)
public @interface Renamed {
    /** The old dotted path, e.g. "macro.rows". */
    String from();

    /** The new dotted path, e.g. "array.rows". */
    String to();

    /** The issue that renamed it, e.g. "#30". */
    String issue();

    /** The container of repeated {@link Renamed} annotations. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface List {
        Renamed[] value();
    }
}
