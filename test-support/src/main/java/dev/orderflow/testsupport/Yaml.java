package dev.orderflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

/**
 * Steps into a YAML document as a parser hands it over (maps, lists and scalars), for tests that read deployment files;
 * each step asserts the node is of the kind the test expects, so that a wrong file fails as an assertion.
 */
public final class Yaml {

    private Yaml() {}

    /** The node as a mapping. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    /** The node as a sequence of any nodes. */
    @SuppressWarnings("unchecked")
    public static List<Object> list(Object node) {
        assertThat(node).isInstanceOf(List.class);
        return (List<Object>) node;
    }

    /** The node as a sequence of mappings (containers, ports, environment entries). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> maps(Object node) {
        assertThat(node).isInstanceOf(List.class);
        return (List<Map<String, Object>>) node;
    }
}
