package io.leadsync.connector.rest.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadsync.connector.http.ApiRequest;
import io.leadsync.connector.http.ApiResponse;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Walks the pages of one stream as its manifest's pagination says. Not thread-safe: one per read. */
final class Pager {
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;[^,]*rel=\"?next\"?");

    private final Manifest.Pagination pagination;
    private final ApiRequest first;
    private ApiRequest next;
    private int offset;
    private int page;

    Pager(Manifest.Pagination pagination, ApiRequest first) {
        this.pagination = pagination;
        this.first = first;
        this.page = pagination.startPage();
        this.next = withPaging(first);
    }

    /** The next request, or null when the last page was read. */
    ApiRequest next() {
        return next;
    }

    /** Takes in the answer to the request last given and works out the next one. */
    void advance(ApiResponse response, JsonNode records) {
        int count = records.size();
        boolean full = count >= pagination.pageSize();
        switch (pagination.type()) {
            case "offset" -> {
                offset += count;
                next = more(response, full) ? withPaging(first) : null;
            }
            case "page" -> {
                page++;
                next = more(response, full) ? withPaging(first) : null;
            }
            case "cursor" -> {
                String cursor = text(response.body().at(pagination.nextCursor()));
                next = cursor == null || count == 0 ? null : withPaging(first).withQuery(Map.of(pagination.cursorParam(),
                        cursor));
            }
            case "next-url" -> {
                String url = text(response.body().at(pagination.nextUrl()));
                next = url == null || count == 0 ? null : new ApiRequest("GET", url, Map.of(), first.headers(), null, null);
            }
            case "link-header" -> {
                String url = response.header("Link").map(Pager::nextLink).orElse(null);
                next = url == null || count == 0 ? null : new ApiRequest("GET", url, Map.of(), first.headers(), null, null);
            }
            default -> next = null;
        }
    }

    private boolean more(ApiResponse response, boolean full) {
        if (pagination.hasMore() != null) {
            JsonNode flag = response.body().at(pagination.hasMore());
            return flag.asBoolean(false);
        }
        return full;
    }

    private ApiRequest withPaging(ApiRequest request) {
        Map<String, String> query = new LinkedHashMap<>();
        if (pagination.limitParam() != null) {
            query.put(pagination.limitParam(), Integer.toString(pagination.pageSize()));
        }
        switch (pagination.type()) {
            case "offset" -> query.put(pagination.offsetParam(), Integer.toString(offset));
            case "page" -> query.put(pagination.pageParam(), Integer.toString(page));
            default -> {
            }
        }
        return request.withQuery(query);
    }

    static String nextLink(String header) {
        Matcher matcher = NEXT_LINK.matcher(header);
        return matcher.find() ? matcher.group(1) : null;
    }

    private static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull() || node.isContainerNode()) {
            return null;
        }
        String text = node.asText();
        return text.isBlank() ? null : text;
    }
}
