package io.leadsync.connector.rest.internal;

import io.leadsync.connector.Setting;
import io.leadsync.connector.rest.ManifestException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A YAML node with its key path and line, whose accessors fail with the file, line and key of the problem.
 * {@link #only} rejects keys a mapping does not know.
 */
public final class Node {
    private final String file;
    private final String path;
    private final org.yaml.snakeyaml.nodes.Node node;
    private final int line;
    private final Map<String, org.yaml.snakeyaml.nodes.Node> children = new LinkedHashMap<>();
    private final Map<String, Integer> keyLines = new LinkedHashMap<>();

    Node(String file, String path, org.yaml.snakeyaml.nodes.Node node) {
        this(file, path, node, node.getStartMark().getLine() + 1);
    }

    /** A node reported at {@code line}: the line of its key, where a reader looks for it. */
    Node(String file, String path, org.yaml.snakeyaml.nodes.Node node, int line) {
        this.file = file;
        this.path = path;
        this.node = node;
        this.line = line;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                    throw fail(tuple.getKeyNode().getStartMark().getLine() + 1, path, "keys must be plain names");
                }
                if (children.put(key.getValue(), tuple.getValueNode()) != null) {
                    throw fail(key.getStartMark().getLine() + 1, child(key.getValue()), "is given twice");
                }
                keyLines.put(key.getValue(), key.getStartMark().getLine() + 1);
            }
        }
    }

    public static Node root(String file, org.yaml.snakeyaml.nodes.Node node) {
        Node root = new Node(file, "", node);
        if (!(node instanceof MappingNode)) {
            throw root.fail(root.line(), "", "the manifest must be a mapping of keys");
        }
        return root;
    }

    public int line() {
        return line;
    }

    public String path() {
        return path;
    }

    public String file() {
        return file;
    }

    public boolean isMapping() {
        return node instanceof MappingNode;
    }

    public boolean isSequence() {
        return node instanceof SequenceNode;
    }

    public boolean isScalar() {
        return node instanceof ScalarNode;
    }

    public boolean has(String key) {
        return children.containsKey(key);
    }

    public Set<String> keys() {
        return children.keySet();
    }

    /** A child node. */
    public Node get(String key) {
        org.yaml.snakeyaml.nodes.Node child = children.get(key);
        if (child == null) {
            throw fail(line(), path, "needs '" + key + "'");
        }
        return new Node(file, child(key), child, keyLines.get(key));
    }

    public Node optional(String key) {
        return has(key) ? get(key) : null;
    }

    public String text() {
        if (!(node instanceof ScalarNode scalar)) {
            throw fail(line(), path, "must be a single value");
        }
        return scalar.getValue();
    }

    public String text(String key) {
        String value = get(key).text();
        if (value.isBlank()) {
            throw fail(keyLines.get(key), child(key), "must not be empty");
        }
        return value;
    }

    public String text(String key, String defaultValue) {
        return has(key) ? text(key) : defaultValue;
    }

    public int integer(String key, int defaultValue, int min, int max) {
        return value(key, Setting.integer(min, max), defaultValue);
    }

    public boolean bool(String key, boolean defaultValue) {
        return value(key, Setting.BOOLEAN, defaultValue);
    }

    /**
     * A child's value parsed by a {@link Setting.Type}, the same parsing every configuration layer uses; the default
     * when the key is absent. Fails with the file, line and key, and what was expected.
     */
    public <T> T value(String key, Setting.Type<T> type, T defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        Node child = get(key);
        String text = child.text();
        try {
            return type.parse(text);
        } catch (Setting.Invalid e) {
            boolean range = e.expected().startsWith("between") || e.expected().startsWith("at least");
            throw child.fail(child.line(), child.path(), "must be " + e.expected() + " but is "
                    + (range ? text.strip() : "'" + text + "'"));
        }
    }

    /** A value that must be one of {@code allowed}. */
    public String choice(String key, String defaultValue, List<String> allowed) {
        if (!has(key)) {
            if (defaultValue == null) {
                throw fail(line(), path, "needs '" + key + "', one of " + allowed);
            }
            return defaultValue;
        }
        Node child = get(key);
        String value = child.text().strip();
        if (!allowed.contains(value)) {
            throw child.fail(child.line(), child.path(), "'" + value + "' is not one of " + allowed);
        }
        return value;
    }

    /** The items of a sequence node. */
    public List<Node> items() {
        if (!(node instanceof SequenceNode sequence)) {
            throw fail(line(), path, "must be a list");
        }
        List<Node> items = new ArrayList<>();
        for (int i = 0; i < sequence.getValue().size(); i++) {
            items.add(new Node(file, path + "[" + i + "]", sequence.getValue().get(i)));
        }
        return items;
    }

    /** The entries of a mapping node as child nodes, in order. */
    public Map<String, Node> entries() {
        if (!(node instanceof MappingNode)) {
            throw fail(line(), path, "must be a mapping of keys");
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (String key : children.keySet()) {
            entries.put(key, get(key));
        }
        return entries;
    }

    /** A mapping of plain values. */
    public Map<String, String> strings() {
        Map<String, String> values = new LinkedHashMap<>();
        entries().forEach((key, child) -> values.put(key, child.text()));
        return values;
    }

    /** Fails on the first key of this mapping that is not one of {@code known}. */
    public Node only(String... known) {
        Set<String> allowed = new TreeSet<>(List.of(known));
        for (String key : children.keySet()) {
            if (!allowed.contains(key)) {
                throw fail(keyLines.get(key), child(key), "is not a known key here; known keys are " + allowed);
            }
        }
        return this;
    }

    /** A problem at this node. */
    public ManifestException problem(String reason) {
        return fail(line(), path, reason);
    }

    private ManifestException fail(int line, String key, String reason) {
        return new ManifestException(file, line, key, reason);
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
