package org.abacim.core.blas;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Sets a variable in the process's native environment (C's {@code environ}), which native libraries read with
 * {@code getenv} as they load — Java has no {@code setenv}. Used once, before OpenBLAS loads, to pin its kernel
 * family. Linux (glibc, musl) only: elsewhere it throws, and the caller goes on unpinned.
 */
final class NativeEnvironment {
    private NativeEnvironment() {}

    /** The arrays and strings handed to C, kept reachable for the life of the process: C reads them from now on. */
    private static final List<Pointer> KEPT = new ArrayList<>();

    static synchronized void set(String name, String value) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            throw new UnsupportedOperationException("the native environment is set on Linux only");
        }
        Loader.load(Pointer.class); // JavaCPP's own native part, which answers addressof
        Pointer variable = Loader.addressof("environ");
        if (variable == null || variable.isNull()) throw new UnsupportedOperationException("no 'environ' symbol");
        PointerPointer<?> environ = new PointerPointer<>(variable);
        PointerPointer<?> entries = new PointerPointer<>(environ.get(0));
        String prefix = name + "=";
        List<Pointer> kept = new ArrayList<>();
        for (int i = 0; entries.get(i) != null && !entries.get(i).isNull(); i++) {
            Pointer entry = entries.get(i);
            // getenv returns the first match: drop every entry of this name, the new one goes first.
            if (!new BytePointer(entry).getString().startsWith(prefix)) kept.add(entry);
        }
        BytePointer assignment = new BytePointer(prefix + value);
        PointerPointer<?> fresh = new PointerPointer<>(kept.size() + 2L);
        fresh.put(0, assignment);
        for (int i = 0; i < kept.size(); i++) fresh.put(i + 1, kept.get(i));
        fresh.put(kept.size() + 1, (Pointer) null);
        KEPT.add(assignment);
        KEPT.add(fresh);
        environ.put(0, fresh);
    }
}
