package dev.deepq.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void roundTripsNestedValues() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", "quote \" backslash \\ newline \n tab \t");
        doc.put("int", 42L);
        doc.put("negative", -7L);
        doc.put("double", 0.1);
        doc.put("tiny", 1.0e-300);
        doc.put("list", List.of(1L, 2.5, "x", true, false));
        doc.put("null", null);
        doc.put("nested", Map.of("k", List.of()));
        String text = Json.write(doc);
        assertThat(Json.parse(text)).isEqualTo(doc);
    }

    @Test
    void writesPrimitiveArrays() {
        assertThat(Json.write(Map.of("a", new long[] {1, 2}, "b", new int[] {3}))).contains("[1,2]", "[3]");
        assertThat(Json.write(new double[] {0.5, 2})).isEqualTo("[0.5,2.0]");
        assertThatThrownBy(() -> Json.write(Double.NaN)).hasMessageContaining("JSON cannot hold NaN");
    }

    @Test
    void malformedDocumentsSayWhereAndWhat() {
        assertThatThrownBy(() -> Json.parse("{\"a\": 1,}")).isInstanceOf(Json.JsonException.class)
                .hasMessageContaining("at character 8: expected a string key");
        assertThatThrownBy(() -> Json.parse("[1 2]")).hasMessageContaining("expected ',' or ']'");
        assertThatThrownBy(() -> Json.parse("{\"a\": tru}")).hasMessageContaining("expected 'true'");
        assertThatThrownBy(() -> Json.parse("\"open")).hasMessageContaining("closing");
        assertThatThrownBy(() -> Json.parse("{} x")).hasMessageContaining("end of document");
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}")).hasMessageContaining("no duplicate key 'a'");
        assertThatThrownBy(() -> Json.parse("[".repeat(100))).hasMessageContaining("nesting");
        assertThatThrownBy(() -> Json.parseObject("[1]")).hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> Json.parse("-")).hasMessageContaining("a number");
    }

    @Test
    void unicodeEscapes() {
        assertThat(Json.parse("\"\\u00e9\\n\"")).isEqualTo("é\n");
        assertThat(Json.write("\u0001")).isEqualTo("\"\\u0001\"");
    }
}
