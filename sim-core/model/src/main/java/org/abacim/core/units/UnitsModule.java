package org.abacim.core.units;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.function.DoubleFunction;

/**
 * Binds quantities from config text: "100 ns" becomes {@code Time}. A bare number is refused with a message naming
 * the expected unit, because a number without a unit is the classic source of silent 1000× errors.
 */
public final class UnitsModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    public UnitsModule() {
        super("abacim-units");
        register(Energy.class, Dimension.ENERGY, Energy::new);
        register(Power.class, Dimension.POWER, Power::new);
        register(Time.class, Dimension.TIME, Time::new);
        register(Frequency.class, Dimension.FREQUENCY, Frequency::new);
        register(Area.class, Dimension.AREA, Area::new);
        register(DataRate.class, Dimension.DATA_RATE, DataRate::new);
        register(DataSize.class, Dimension.DATA_SIZE, DataSize::new);
        register(Voltage.class, Dimension.VOLTAGE, Voltage::new);
        register(Current.class, Dimension.CURRENT, Current::new);
        register(Resistance.class, Dimension.RESISTANCE, Resistance::new);
        register(Conductance.class, Dimension.CONDUCTANCE, Conductance::new);
        register(Capacitance.class, Dimension.CAPACITANCE, Capacitance::new);
        register(Length.class, Dimension.LENGTH, Length::new);
    }

    private <T> void register(Class<T> type, Dimension dimension, DoubleFunction<T> factory) {
        addDeserializer(type, new QuantityDeserializer<>(dimension, factory));
    }

    private static final class QuantityDeserializer<T> extends JsonDeserializer<T> {
        private final Dimension dimension;
        private final DoubleFunction<T> factory;

        QuantityDeserializer(Dimension dimension, DoubleFunction<T> factory) {
            this.dimension = dimension;
            this.factory = factory;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                throw new UnitException("a bare number is not " + dimension.description()
                        + "; give its unit, like '" + dimension.example() + "'");
            }
            if (token != JsonToken.VALUE_STRING) {
                throw new UnitException("expected " + dimension.description() + " like '" + dimension.example() + "'");
            }
            return factory.apply(Units.parse(p.getText(), dimension));
        }
    }
}
