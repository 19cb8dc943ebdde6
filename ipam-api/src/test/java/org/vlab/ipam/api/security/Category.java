package org.vlab.ipam.api.security;

/**
 * The kinds of hostile input the suite sends. A category with {@code pendingOn} names the
 * branch whose fix it waits for: its cases run only in the tests tagged {@code pending-merge},
 * which the build leaves out until that branch is merged ({@code -Dsecurity.excluded-groups=none}
 * runs them). This enum is the one list of known-open categories.
 */
enum Category {

    WRONG_TYPES("wrong JSON types for fields and bodies"),
    NUMBERS("huge, negative, fractional and exponent numbers"),
    IPV6_AND_HOSTNAMES("IPv6 literals, host names and non-dotted-quad addresses"),
    OUTSIDE_THE_LAB("addresses outside the gateway's lab networks or reserved"),
    CONTROL_CHARACTERS("control characters (Cc, U+2028/9) and over-long names"),
    FORMAT_CHARACTERS("Unicode format (Cf) and lone surrogate (Cs) characters in names", "api-portmap"),
    DUPLICATE_KEYS("duplicate JSON keys", "api-portmap"),
    MALFORMED_JSON("malformed JSON, deep nesting, trailing garbage"),
    OVERSIZED_BODIES("bodies over ipam.max-body-bytes"),
    WRONG_CONTENT_TYPES("content types other than JSON"),
    PATH_TRICKS("path tricks around authentication"),
    OTHER_TENANT("another tenant's gateway or mapping"),
    OPERATOR("an operator's invalid input for another gateway"),
    QUERY_PARAMETERS("hostile query parameters"),
    RANDOM_MUTATIONS("seeded random mutations of a valid body"),
    TOKENS("hostile tokens"),
    FUTURE_IAT_TOKENS("tokens issued in the future", "api-auth");

    private final String description;
    private final String pendingOn;

    Category(String description) {
        this(description, null);
    }

    Category(String description, String pendingOn) {
        this.description = description;
        this.pendingOn = pendingOn;
    }

    String description() {
        return description;
    }

    /** The branch that fixes what this category attacks, or null when it holds on this branch. */
    String pendingOn() {
        return pendingOn;
    }

    boolean pending() {
        return pendingOn != null;
    }
}
