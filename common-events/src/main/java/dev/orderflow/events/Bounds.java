package dev.orderflow.events;

/**
 * The bounds of the API (orders as {@code POST /api/orders} accepts them), which every event is held to as well:
 * an event that breaks them was not published by this suite and is never applied. Constants, so that constraint
 * annotations can name them.
 */
public final class Bounds {

    /** A customer id: 1-64 of {@code A-Z a-z 0-9 . _ -}. */
    public static final String CUSTOMER_ID = "[A-Za-z0-9._-]{1,64}";

    /** A currency: three upper-case letters. */
    public static final String CURRENCY = "[A-Z]{3}";

    /** Text without control characters (Unicode {@code Cc}); PostgreSQL refuses a NUL in any text it stores. */
    public static final String NO_CONTROL_CHARACTERS = "[^\\p{Cc}]*";

    public static final int MAX_ITEMS = 100;

    public static final int MAX_SKU_LENGTH = 64;

    public static final int MAX_QUANTITY = 1000;

    public static final String MAX_UNIT_PRICE = "1000000";

    /** Digits before the decimal point of a unit price. */
    public static final int UNIT_PRICE_DIGITS = 7;

    /** The largest order: {@link #MAX_ITEMS} items of {@link #MAX_QUANTITY} at {@link #MAX_UNIT_PRICE}. */
    public static final String MAX_TOTAL = "100000000000";

    /** Digits before the decimal point of a total (and of a payment's amount). */
    public static final int TOTAL_DIGITS = 12;

    /** Decimals of every amount. */
    public static final int DECIMALS = 2;

    /** A reason given for a rejection or a decline. */
    public static final int MAX_REASON_LENGTH = 255;

    private Bounds() {}
}
