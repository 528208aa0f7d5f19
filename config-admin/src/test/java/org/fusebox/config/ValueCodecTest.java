package org.fusebox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Vector;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ValueCodecTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Object roundTrip(String key, Object value) throws Exception {
        ObjectNode node = JSON.createObjectNode();
        ValueCodec.write(node, key, value);
        JsonNode reread = JSON.readTree(JSON.writeValueAsString(node));
        var field = reread.fields().next();
        Map.Entry<String, Object> back = ValueCodec.read(field.getKey(), field.getValue());
        assertThat(back.getKey()).isEqualTo(key);
        return back.getValue();
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(5).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.shorts().map(s -> (Object) s),
                Arbitraries.bytes().map(b -> (Object) b),
                Arbitraries.chars().map(c -> (Object) c),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0).map(d -> (Object) d),
                Arbitraries.floats().map(f -> (Object) f),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.strings().ofMaxLength(3).array(String[].class).ofMaxSize(3).map(a -> (Object) a),
                Arbitraries.integers().array(int[].class).ofMaxSize(3).map(a -> (Object) a),
                Arbitraries.longs().array(Long[].class).ofMaxSize(3).map(a -> (Object) a),
                Arbitraries.doubles().array(double[].class).ofMaxSize(3).map(a -> (Object) a),
                Arbitraries.integers().list().ofMaxSize(3).map(l -> (Object) l));
    }

    @Property(tries = 300)
    void everyValueConfigAdminHoldsReadsBackExactly(@ForAll("values") Object value) throws Exception {
        Object back = roundTrip("k", value);
        assertThat(ValueCodec.same(back, value)).as("%s read back as %s", value, back).isTrue();
    }

    @Test
    void plainTypesCarryNoTagAndOthersDo() {
        ObjectNode node = JSON.createObjectNode();
        ValueCodec.write(node, "s", "x");
        ValueCodec.write(node, "l", 5L);
        ValueCodec.write(node, "d", 2.5);
        ValueCodec.write(node, "i", 5);
        ValueCodec.write(node, "v", new Vector<>(List.of(1L)));
        ValueCodec.write(node, "a:b", "x");
        assertThat(node.fieldNames()).toIterable().containsExactly("s", "l", "d", "i:Integer", "v:Collection<Long>", "a:b:String");
    }

    @Test
    void plainJsonReadsAsTheNaturalTypes() throws Exception {
        assertThat(ValueCodec.read("n", JSON.readTree("3")).getValue()).isEqualTo(3L);
        assertThat(ValueCodec.read("n", JSON.readTree("3.5")).getValue()).isEqualTo(3.5);
        assertThat((Double[]) ValueCodec.read("n", JSON.readTree("[1, 2.5]")).getValue()).containsExactly(1.0, 2.5);
        assertThat((String[]) ValueCodec.read("n", JSON.readTree("[]")).getValue()).isEmpty();
        assertThat(ValueCodec.read("port:Integer", JSON.readTree("\"502\"")).getValue()).isEqualTo(502);
        assertThatThrownBy(() -> ValueCodec.read("n", JSON.readTree("[1, \"a\"]"))).hasMessage("n mixes Long and String elements");
        assertThatThrownBy(() -> ValueCodec.read("n", JSON.readTree("{}"))).hasMessageContaining("must be a string, number, boolean");
        assertThatThrownBy(() -> ValueCodec.read("b:Byte", JSON.readTree("300"))).hasMessage("b must be a Byte, got 300");
    }

    @Test
    void valuesConfigAdminCannotHoldAreNamed() {
        assertThat(ValueCodec.problem(new Object())).isEqualTo("is a Object, which Config Admin cannot hold");
        assertThat(ValueCodec.problem(List.of(1, "a"))).isEqualTo("mixes Integer and String elements");
        assertThat(ValueCodec.problem(new String[] { "a", null })).isEqualTo("has an empty (null) element at index 1");
        assertThat(ValueCodec.problem(null)).isEqualTo("has no value");
        assertThat(ValueCodec.problem(new long[] { 1 })).isNull();
    }
}
