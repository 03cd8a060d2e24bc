package io.leadsync.sandbox.hubspot.internal;

import java.util.List;

/** A property of an object type, as HubSpot's properties API describes it. */
record PropertyDefinition(String name, String label, String type, String fieldType, String groupName,
                          List<String> options, boolean readOnly) {

    static PropertyDefinition string(String name) {
        return new PropertyDefinition(name, label(name), "string", "text", "contactinformation", List.of(), false);
    }

    static PropertyDefinition number(String name) {
        return new PropertyDefinition(name, label(name), "number", "number", "contactinformation", List.of(), false);
    }

    static PropertyDefinition datetime(String name, boolean readOnly) {
        return new PropertyDefinition(name, label(name), "datetime", "date", "contactinformation", List.of(), readOnly);
    }

    static PropertyDefinition bool(String name) {
        return new PropertyDefinition(name, label(name), "bool", "booleancheckbox", "contactinformation",
                List.of("true", "false"), false);
    }

    static PropertyDefinition enumeration(String name, List<String> options) {
        return new PropertyDefinition(name, label(name), "enumeration", "select", "contactinformation", options, false);
    }

    static PropertyDefinition readOnly(String name) {
        return new PropertyDefinition(name, label(name), "string", "text", "contactinformation", List.of(), true);
    }

    private static String label(String name) {
        String spaced = name.replace('_', ' ');
        return Character.toUpperCase(spaced.charAt(0)) + spaced.substring(1);
    }
}
