package io.leadsync.connector;

/**
 * The canonical activity types connectors map to and scoring models refer to. A connector may emit other
 * snake_case types (an admin's own event mapping); these are the ones every part of leadsync knows.
 */
public final class ActivityTypes {
    public static final String PAGE_VIEW = "page_view";
    public static final String PRICING_PAGE_VIEW = "pricing_page_view";
    public static final String CASE_STUDY_VIEW = "case_study_view";
    public static final String DEMO_REQUEST = "demo_request";
    /** A request to talk to sales (a contact-sales, pricing or quote form). */
    public static final String CONTACT_SALES = "contact_sales";
    public static final String FORM_SUBMIT = "form_submit";
    public static final String CONTENT_DOWNLOAD = "content_download";
    public static final String WEBINAR = "webinar";
    public static final String EMAIL_SENT = "email_sent";
    public static final String EMAIL_OPEN = "email_open";
    public static final String EMAIL_CLICK = "email_click";
    public static final String EMAIL_REPLY = "email_reply";
    public static final String EMAIL_BOUNCE = "email_bounce";
    public static final String UNSUBSCRIBE = "unsubscribe";
    public static final String MEETING = "meeting";
    public static final String CALL = "call";
    public static final String PRODUCT_USAGE = "product_usage";

    private ActivityTypes() {
    }
}
