package org.abacim.core.analog;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.abacim.core.config.Check;
import org.abacim.core.config.Key;
import org.abacim.core.config.Keyed;
import org.abacim.core.units.Resistance;
import org.abacim.core.units.Time;

/**
 * The analog cell of a resistive array and how it departs from its programmed value. Conductances are counted in
 * steps of one cell level, ΔG = (G_max − G_min) / (levels − 1); a cell at level l nominally conducts G_min + l·ΔG,
 * so the finite on/off ratio G_max / G_min = rOff / rOn puts every cell G_min above zero.
 *
 * @param rOn low-resistance state (G_max = 1 / rOn)
 * @param rOff high-resistance state (G_min = 1 / rOff); only the ratio rOff / rOn enters the arithmetic
 * @param programming device-to-device programming variation, drawn once per cell per simulated chip
 * @param readNoise relative σ of a cell's conductance on each read (cycle-to-cycle), 0 for none
 * @param stuckAtGmin fraction of cells stuck at G_min whatever is written
 * @param stuckAtGmax fraction of cells stuck at G_max
 * @param drift conductance drift between programming and use
 * @param measured measured conductance states that replace the analytic programming model: a built-in set or a
 *     device-data file ({@link DeviceData}); "none" for the analytic model
 * @param measuredTime time after programming at which the measured states are used
 * @param source where the values come from, or what they assume
 */
public record DeviceModel(
        @Key(doc = "low-resistance state (G_max = 1 / rOn)") Resistance rOn,
        @Key(doc = "high-resistance state; the on/off ratio puts every cell G_min above zero (subtracted with a "
                + "reference column)") Resistance rOff,
        @Key(doc = "programming variation per cell, drawn once per simulated chip") Variation programming,
        @Key(doc = "σ of each cell's conductance on every read (cycle to cycle); 0 for none", unit = "relative σ")
        double readNoise,
        @Key(doc = "fraction of cells stuck at G_min whatever is written", unit = "fraction") double stuckAtGmin,
        @Key(doc = "fraction of cells stuck at G_max", unit = "fraction") double stuckAtGmax,
        @Key(doc = "power-law drift G(t) = G(t0)·(t/t0)^−ν between programming and use") Drift drift,
        @Key(doc = "measured conductance states instead of programming variation and drift: a built-in set "
                + "(levy-hfox-c) or a device-data file, relative to the config (docs/accuracy.md#measured-device-data)",
                defaultValue = "none") String measured,
        @Key(doc = "with measured states: the time after programming they are taken at (interpolated in log time "
                + "between measured times)", defaultValue = "0 s") Time measuredTime,
        @Key(doc = "where the device values come from, or what they assume") String source) {
    public DeviceModel {
        Check.positive("rOn", rOn.ohms());
        Check.that(rOff.ohms() > rOn.ohms(), "rOff", rOff, "must be larger than rOn (" + rOn + ")");
        Check.present("programming", programming);
        Check.that(readNoise >= 0 && readNoise <= 1, "readNoise", readNoise, "a relative σ between 0 and 1");
        Check.that(stuckAtGmin >= 0 && stuckAtGmin <= 1, "stuckAtGmin", stuckAtGmin, "a fraction between 0 and 1");
        Check.that(stuckAtGmax >= 0 && stuckAtGmax <= 1 - stuckAtGmin, "stuckAtGmax", stuckAtGmax,
                "a fraction between 0 and 1 − stuckAtGmin");
        Check.present("drift", drift);
        Check.that(measured != null && !measured.isBlank(), "measured", measured, "a built-in set, a file, or none");
        Check.that(measuredTime != null && measuredTime.seconds() >= 0, "measuredTime", measuredTime,
                "a time after programming, 0 s or later");
        boolean usesMeasured = !"none".equals(measured); // the fields are not set yet in a compact constructor
        Check.that(!usesMeasured || programming.sigma() == 0, "programming.sigma", programming.sigma(),
                "must be 0 with device.measured (" + measured + "): the measured states replace programming variation");
        Check.that(!usesMeasured || drift.nu() == 0 && drift.nuSigma() == 0, "drift.nu", drift.nu(),
                "drift must be off (nu and nuSigma 0) with device.measured (" + measured
                        + "): the measured states at device.measuredTime replace it");
        Check.that(!usesMeasured || !drift.compensate(), "drift.compensate", drift.compensate(),
                "must be false with device.measured (" + measured + "): compensation needs the drift model's read at t0");
    }

    /** Whether measured conductance states replace the analytic programming model. */
    public boolean usesMeasured() {
        return !"none".equals(measured);
    }

    /** A device that holds exactly what is written and reads it without noise. */
    public static DeviceModel perfect() {
        return new DeviceModel(Resistance.of(1e4), Resistance.of(1e6), new Variation(VariationKind.LOGNORMAL, 0), 0,
                0, 0, new Drift(Time.of(1), Time.of(1), 0, 0, 0, Time.of(250e-9), false), "none", Time.of(0), "ideal");
    }

    /** G_min in units of one level step, for cells of {@code levels} levels: (levels − 1) / (on/off − 1). */
    public double gMinInSteps(int levels) {
        return (levels - 1) / (rOff.ohms() / rOn.ohms() - 1);
    }

    /** Whether programmed conductances are exactly the nominal ones and reads are noiseless. */
    public boolean ideal() {
        return programming.sigma() == 0 && readNoise == 0 && stuckAtGmin == 0 && stuckAtGmax == 0 && drift.none()
                && drift.flicker() == 0 && !usesMeasured();
    }

    /**
     * The same device read at {@code time} after programming: its drift and 1/f noise at that time, and measured
     * states, when it has them, taken at that time.
     */
    public DeviceModel at(Time time) {
        // Measured states come from their own times (from 0 s); the drift model's 1/f noise from its reference on.
        Drift driftThen = usesMeasured() && time.seconds() < drift.reference().seconds() ? drift : drift.at(time);
        return new DeviceModel(rOn, rOff, programming, readNoise, stuckAtGmin, stuckAtGmax, driftThen, measured,
                usesMeasured() ? time : measuredTime, source);
    }

    public DeviceModel withProgramming(Variation v) {
        return new DeviceModel(rOn, rOff, v, readNoise, stuckAtGmin, stuckAtGmax, drift, measured, measuredTime, source);
    }

    /** Programming variation: log-normal (G·e^(σN), the median kept) or Gaussian (G·(1 + σN), clipped at 0). */
    public record Variation(
            @Key(doc = "lognormal (G·e^(σN), the median kept) or gaussian (G·(1+σN), clipped at 0)")
            VariationKind kind,
            @Key(doc = "σ of the programmed conductance", unit = "relative σ") double sigma) {
        public Variation {
            Check.present("kind", kind);
            Check.that(sigma >= 0 && sigma <= 3, "sigma", sigma, "a relative σ between 0 and 3");
        }
    }

    public enum VariationKind implements Keyed {
        LOGNORMAL("lognormal"), GAUSSIAN("gaussian");

        private final String key;

        VariationKind(String key) { this.key = key; }

        @JsonValue
        public String key() { return key; }

        @JsonCreator
        public static VariationKind parse(String text) {
            return Keyed.parse(VariationKind.class, text);
        }
    }

    /**
     * Power-law drift G(t) = G(t0) · (t / t0)^(−ν), with ν drawn per cell from N(nu, nuSigma) (clipped at 0). The
     * reference time t0 is when the programmed values were verified; reads at t0 see no drift. Without compensation
     * a global drift shows up as a gain error; with it, each layer's outputs are scaled by the ratio of an all-ones
     * read at t0 to the same read at t (global drift compensation). Reads also carry 1/f noise that grows with the
     * time since programming: relative σ = flicker · √ln((t + t_read) / (2·t_read)) (Nandakumar et al. 2019).
     */
    public record Drift(
            @Key(doc = "time of use after programming (min, h, day and year work too)") Time time,
            @Key(doc = "t0: when the programmed values were verified; reads then see no drift") Time reference,
            @Key(doc = "mean drift exponent ν (0 to " + MAX_NU + ")") double nu,
            @Key(doc = "σ of ν across cells (ν drawn per cell, clipped at 0; 0 to " + MAX_NU + ")") double nuSigma,
            @Key(doc = "Q of the 1/f read noise: relative σ Q·√ln((t + t_read)/(2·t_read)) on every read; 0 for none",
                    unit = "relative σ", defaultValue = "0") double flicker,
            @Key(doc = "t_read: the integration time of one read, the 1/f noise's lower frequency bound",
                    defaultValue = "250 ns")
            Time readTime,
            @Key(doc = "global drift compensation: each layer's outputs scaled by an all-ones read at t0 over the same "
                    + "read at t", defaultValue = "false") boolean compensate,
            @Key(doc = "none: one N(nu, nuSigma) and one flicker Q for every cell; pcm: each cell's ν mean and spread "
                    + "and its Q from IBM's PCM fits by its programmed conductance (nu, nuSigma, flicker then 0)",
                    defaultValue = "none") Fit fit) {
        /** The largest drift exponent accepted: published PCM exponents reach about 0.1, ReRAM's are smaller. */
        public static final double MAX_NU = 0.3;

        /** One exponent distribution and one Q for every cell, as before the level-dependent fits. */
        public Drift(Time time, Time reference, double nu, double nuSigma, double flicker, Time readTime, boolean compensate) {
            this(time, reference, nu, nuSigma, flicker, readTime, compensate, Fit.NONE);
        }

        public Drift {
            Check.positive("reference", reference.seconds());
            Check.that(time.seconds() >= reference.seconds(), "time", time,
                    "must not be earlier than the reference time (" + reference + ")");
            Check.that(nu >= 0 && nu <= MAX_NU, "nu", nu, "a drift exponent between 0 and " + MAX_NU
                    + " (published PCM exponents reach about 0.1, ReRAM's are smaller)");
            Check.that(nuSigma >= 0 && nuSigma <= MAX_NU, "nuSigma", nuSigma, "between 0 and " + MAX_NU);
            Check.that(flicker >= 0 && flicker <= 1, "flicker", flicker, "a relative σ between 0 and 1");
            Check.positive("readTime", readTime.seconds());
            Check.present("fit", fit);
            Check.that(fit == Fit.NONE || nu == 0 && nuSigma == 0 && flicker == 0, "fit", fit,
                    "pcm takes ν's mean and spread and the flicker Q from the fits: set nu, nuSigma and flicker to 0");
        }

        /** The same drift read at {@code t} after programming. */
        public Drift at(Time t) {
            return new Drift(t, reference, nu, nuSigma, flicker, readTime, compensate, fit);
        }

        /** No conductance change between verification and use. */
        public boolean none() {
            return time.seconds() == reference.seconds() || (fit == Fit.NONE && nu == 0 && nuSigma == 0);
        }

        /**
         * The mean drift exponent of a cell programmed to {@code g} = G/G_max: {@code nu}, or with the PCM fit
         * clamp(−0.0155·ln g + 0.0244, 0.049, 0.1) (Nandakumar et al. 2019, as aihwkit's PCMLikeNoiseModel).
         */
        public double meanNu(double g) {
            return fit == Fit.PCM ? clamp(-0.0155 * Math.log(Math.max(g, 1e-7)) + 0.0244, 0.049, 0.1) : nu;
        }

        /** The spread of ν at {@code g}: {@code nuSigma}, or clamp(−0.0125·ln g − 0.0059, 0.008, 0.045). */
        public double sigmaNu(double g) {
            return fit == Fit.PCM ? clamp(-0.0125 * Math.log(Math.max(g, 1e-7)) - 0.0059, 0.008, 0.045) : nuSigma;
        }

        /** A cell's exponent from its standard normal draw: max(0, μ + σ·z), or with the PCM fit |μ + σ·z| as the fit's. */
        public double nu(double g, double z) {
            double v = meanNu(g) + sigmaNu(g) * z;
            return fit == Fit.PCM ? Math.abs(v) : Math.max(0, v);
        }

        /** The 1/f noise's Q at {@code g}: {@code flicker}, or min(0.0088 / g^0.65, 0.2). */
        public double flickerQ(double g) {
            return fit == Fit.PCM ? Math.min(0.0088 / Math.pow(Math.max(g, 1e-7), 0.65), 0.2) : flicker;
        }

        /** Whether any cell's reads carry 1/f noise. */
        public boolean flickers() {
            return fit == Fit.PCM || flicker > 0;
        }

        /** √ln((t + t_read)/(2·t_read)) at {@link #time}: the 1/f noise's growth with the time since programming. */
        public double flickerGrowth() {
            double t = time.seconds();
            double tr = readTime.seconds();
            return Math.sqrt(Math.max(0, Math.log((t + tr) / (2 * tr))));
        }

        private static double clamp(double v, double lo, double hi) {
            return Math.max(lo, Math.min(hi, v));
        }

        /** How a cell's drift and 1/f noise depend on its programmed conductance. */
        public enum Fit implements Keyed {
            NONE("none"), PCM("pcm");

            private final String key;

            Fit(String key) { this.key = key; }

            @JsonValue
            public String key() { return key; }

            @JsonCreator
            public static Fit parse(String text) {
                return Keyed.parse(Fit.class, text);
            }
        }

        /** The relative σ of the 1/f noise on a read at {@link #time}: flicker · √ln((t + t_read)/(2·t_read)). */
        public double flickerSigma() {
            return flicker == 0 ? 0 : flicker * flickerGrowth();
        }
    }
}
