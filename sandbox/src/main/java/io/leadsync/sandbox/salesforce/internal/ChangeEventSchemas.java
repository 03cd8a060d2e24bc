package io.leadsync.sandbox.salesforce.internal;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Avro schemas of the simulated org's change events ({@code com.sforce.eventbus.LeadChangeEvent} and the
 * like), shaped as Salesforce's: a {@code ChangeEventHeader} record first, then every field of the object as a
 * nullable union; dates as {@code int} days, date-times as {@code long} epoch milliseconds, as Salesforce encodes
 * them. {@code changedFields} and {@code nulledFields} are bitmaps as the Pub/Sub API sends them: a hex string
 * ({@code 0x...}) whose bit <i>i</i> stands for the schema's field <i>i</i> (the header is field 0).
 */
public final class ChangeEventSchemas {
    /** Every change type of Salesforce's {@code ChangeEventHeader.changeType} enum. */
    public static final List<String> CHANGE_TYPES = List.of("CREATE", "UPDATE", "DELETE", "UNDELETE", "GAP_CREATE",
            "GAP_UPDATE", "GAP_DELETE", "GAP_UNDELETE", "GAP_OVERFLOW", "SNAPSHOT");
    private static final String NAMESPACE = "com.sforce.eventbus";
    /** Fields a change event does not carry: the id is in the header, the rest are Salesforce's bookkeeping. */
    private static final Set<String> NOT_IN_EVENTS = Set.of("Id", "IsDeleted", "SystemModstamp");
    private static final Set<String> DATE_TIMES = Set.of("CreatedDate", "LastModifiedDate", "StartDateTime");
    private static final Set<String> DATES = Set.of("ActivityDate", "Birthdate", "CloseDate");
    private static final Set<String> BOOLEANS = Set.of("IsConverted", "IsActive", "HasResponded", "IsWon",
            "IsClosed");
    private static final Set<String> INTEGERS = Set.of("NumberOfEmployees");
    private static final Set<String> DOUBLES = Set.of("AnnualRevenue", "Amount");
    private static final Schema HEADER = SchemaBuilder.record("ChangeEventHeader").namespace(NAMESPACE).fields()
            .requiredString("entityName")
            .name("recordIds").type().array().items().stringType().noDefault()
            .name("changeType").type().enumeration("ChangeType").namespace(NAMESPACE)
            .symbols(CHANGE_TYPES.toArray(String[]::new)).noDefault()
            .requiredString("changeOrigin")
            .requiredString("transactionKey")
            .requiredInt("sequenceNumber")
            .requiredLong("commitTimestamp")
            .requiredLong("commitNumber")
            .requiredString("commitUser")
            .name("nulledFields").type().array().items().stringType().noDefault()
            .name("diffFields").type().array().items().stringType().noDefault()
            .name("changedFields").type().array().items().stringType().noDefault()
            .endRecord();

    /** One object's event schema and the id Salesforce would give it. */
    public record EventSchema(String entity, Schema schema, String id) {
        public String json() {
            return schema.toString();
        }
    }

    private ChangeEventSchemas() {
    }

    /** The schema of an object's change events, from the fields the org has now (custom fields included). */
    public static EventSchema of(String entity, List<String> fields) {
        SchemaBuilder.FieldAssembler<Schema> assembler = SchemaBuilder.record(entity + "ChangeEvent")
                .namespace(NAMESPACE).doc("Change Data Capture event of " + entity).fields()
                .name("ChangeEventHeader").type(HEADER).noDefault();
        for (String field : fields) {
            if (NOT_IN_EVENTS.contains(field)) {
                continue;
            }
            Schema type;
            if (DATE_TIMES.contains(field)) {
                type = org.apache.avro.LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
            } else if (DATES.contains(field)) {
                type = org.apache.avro.LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            } else if (BOOLEANS.contains(field)) {
                type = Schema.create(Schema.Type.BOOLEAN);
            } else if (INTEGERS.contains(field)) {
                type = Schema.create(Schema.Type.INT);
            } else if (DOUBLES.contains(field)) {
                type = Schema.create(Schema.Type.DOUBLE);
            } else {
                type = Schema.create(Schema.Type.STRING);
            }
            assembler = assembler.name(field).type(Schema.createUnion(Schema.create(Schema.Type.NULL), type))
                    .withDefault(null);
        }
        Schema schema = assembler.endRecord();
        return new EventSchema(entity, schema, schemaId(schema));
    }

    /** A short id derived from the schema's text, as stable as Salesforce's for an unchanged schema. */
    private static String schemaId(Schema schema) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(schema.toString()
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The header of one event. */
    public record Header(String entity, List<String> recordIds, String changeType, String transactionKey,
                         int sequenceNumber, Instant commitTimestamp, long commitNumber, String commitUser) {
    }

    /**
     * Encodes one event: the header, and for the fields named in {@code changed} their values from {@code values}
     * (all non-null fields of a CREATE, the changed ones of an UPDATE, none of a DELETE or a gap).
     */
    public static byte[] encode(EventSchema eventSchema, Header header, Map<String, Object> values,
                                Set<String> changed) {
        Schema schema = eventSchema.schema();
        GenericRecord headerRecord = new GenericData.Record(HEADER);
        headerRecord.put("entityName", header.entity());
        headerRecord.put("recordIds", header.recordIds());
        headerRecord.put("changeType", new GenericData.EnumSymbol(HEADER.getField("changeType").schema(),
                header.changeType()));
        headerRecord.put("changeOrigin", "com/salesforce/api/rest/60.0");
        headerRecord.put("transactionKey", header.transactionKey());
        headerRecord.put("sequenceNumber", header.sequenceNumber());
        headerRecord.put("commitTimestamp", header.commitTimestamp().toEpochMilli());
        headerRecord.put("commitNumber", header.commitNumber());
        headerRecord.put("commitUser", header.commitUser());
        GenericRecord event = new GenericData.Record(schema);
        BigInteger changedBits = BigInteger.ZERO;
        BigInteger nulledBits = BigInteger.ZERO;
        boolean update = header.changeType().equals("UPDATE");
        for (Schema.Field field : schema.getFields()) {
            if (field.pos() == 0 || !changed.contains(field.name())) {
                continue;
            }
            Object value = values.get(field.name());
            if (value == null) {
                nulledBits = nulledBits.setBit(field.pos());
            } else {
                try {
                    event.put(field.pos(), avroValue(field, value));
                } catch (RuntimeException e) {
                    // a value the field's type cannot hold (the simulator stores what it is sent): left out
                    continue;
                }
            }
            changedBits = changedBits.setBit(field.pos());
        }
        headerRecord.put("changedFields", update && changedBits.signum() > 0 ? List.of(bitmap(changedBits))
                : List.of());
        headerRecord.put("nulledFields", nulledBits.signum() > 0 ? List.of(bitmap(nulledBits)) : List.of());
        headerRecord.put("diffFields", List.of());
        event.put(0, headerRecord);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(schema).write(event, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code 0x} and the bits in hex, as the Pub/Sub API writes a field bitmap. */
    static String bitmap(BigInteger bits) {
        return "0x" + bits.toString(16).toUpperCase(java.util.Locale.ROOT);
    }

    /** The names of the fields a bitmap names, by their position in the schema. */
    public static List<String> fieldsOf(Schema schema, String bitmap) {
        BigInteger bits = new BigInteger(bitmap.substring(2), 16);
        List<String> names = new ArrayList<>();
        for (Schema.Field field : schema.getFields()) {
            if (bits.testBit(field.pos())) {
                names.add(field.name());
            }
        }
        return names;
    }

    private static Object avroValue(Schema.Field field, Object value) {
        Schema type = field.schema().getTypes().get(1);
        String text = value instanceof Instant instant ? instant.toString() : value.toString();
        return switch (type.getType()) {
            case LONG -> value instanceof Instant instant ? instant.toEpochMilli()
                    : java.time.OffsetDateTime.parse(text.replaceFirst("(\\d{2})(\\d{2})$", "$1:$2")).toInstant()
                    .toEpochMilli();
            case INT -> type.getLogicalType() != null ? (int) LocalDate.parse(text.substring(0, 10)).toEpochDay()
                    : value instanceof Number number ? number.intValue() : (int) Double.parseDouble(text);
            case DOUBLE -> value instanceof Number number ? number.doubleValue() : Double.parseDouble(text);
            case BOOLEAN -> value instanceof Boolean bool ? bool : Boolean.parseBoolean(text);
            default -> text;
        };
    }
}
