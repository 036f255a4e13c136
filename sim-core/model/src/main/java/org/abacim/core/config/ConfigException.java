package org.abacim.core.config;

/**
 * A user error in a config, network or data file: the CLI prints {@link #getMessage()} as one line and exits 2.
 * The message reads "isaac.yaml:7:14 array.bitsPerCell = 0: must be between 1 and 8".
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final SourceLocation location;
    private final String path;
    private final String value;
    private final String problem;

    public ConfigException(SourceLocation location, String path, String value, String problem) {
        super(format(location, path, value, problem));
        this.location = location;
        this.path = path;
        this.value = value;
        this.problem = problem;
    }

    /** An error about a whole file or source, with no single config path. */
    public static ConfigException inSource(SourceLocation location, String problem) {
        return new ConfigException(location, null, null, problem);
    }

    private static String format(SourceLocation location, String path, String value, String problem) {
        StringBuilder sb = new StringBuilder();
        if (location != null) sb.append(location);
        if (path != null && !path.isEmpty()) {
            if (sb.length() > 0) sb.append(' ');
            sb.append(path);
            if (value != null) sb.append(" = ").append(value);
        }
        if (sb.length() > 0) sb.append(": ");
        return sb.append(problem).toString();
    }

    public SourceLocation location() { return location; }

    public String path() { return path; }

    public String value() { return value; }

    public String problem() { return problem; }
}
