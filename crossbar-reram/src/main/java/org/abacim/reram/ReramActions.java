package org.abacim.reram;

import org.abacim.core.arch.Action;

/** Actions only crossbar designs perform, declared into the shared, open action vocabulary. */
public final class ReramActions {
    /** FORMS: each conversion of a polarized fragment reads the fragment's sign bit to add or subtract it. */
    public static final Action SIGN_BIT_READ =
            Action.declare("SIGN_BIT_READ", "read the sign bit of one polarized fragment for its conversion");

    private ReramActions() {}
}
