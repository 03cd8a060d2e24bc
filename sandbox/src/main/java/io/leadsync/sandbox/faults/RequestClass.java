package io.leadsync.sandbox.faults;

/** What a request does, as its simulator classifies it (a HubSpot search is a POST that reads). */
public enum RequestClass {
    /** Reads data: lists, searches, queries, exports, batch reads. */
    READ,
    /** Changes data: creates, updates, deletes, definitions. */
    WRITE,
    /** Logs in or checks identity (Salesforce's token and identity endpoints). */
    AUTH
}
