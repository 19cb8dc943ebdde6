package org.vlab.ipam.api.security;

/** The kinds of hostile input the suite sends, each counted in its figures. */
enum Category {

    WRONG_TYPES("wrong JSON types for fields and bodies"),
    NUMBERS("huge, negative, fractional and exponent numbers"),
    IPV6_AND_HOSTNAMES("IPv6 literals, host names and non-dotted-quad addresses"),
    OUTSIDE_THE_LAB("addresses outside the gateway's lab networks or reserved"),
    CONTROL_CHARACTERS("control characters (Cc, U+2028/9) and over-long names"),
    FORMAT_CHARACTERS("Unicode format (Cf) and lone surrogate (Cs) characters in names"),
    DUPLICATE_KEYS("duplicate JSON keys"),
    MALFORMED_JSON("malformed JSON, deep nesting, trailing garbage"),
    OVERSIZED_BODIES("bodies over ipam.max-body-bytes"),
    WRONG_CONTENT_TYPES("content types other than JSON"),
    PATH_TRICKS("path tricks around authentication"),
    OTHER_TENANT("another tenant's gateway or mapping"),
    OPERATOR("an operator's invalid input for another gateway"),
    QUERY_PARAMETERS("hostile query parameters"),
    RANDOM_MUTATIONS("seeded random mutations of a valid body"),
    TOKENS("hostile tokens"),
    FUTURE_IAT_TOKENS("tokens issued in the future");

    private final String description;

    Category(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }
}
