package dev.orderflow.notificationservice.contact;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The customers' contact addresses, one per customer. */
@Repository
public class CustomerContacts {

    private final JdbcClient jdbc;

    CustomerContacts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<CustomerContact> find(String customerId) {
        return jdbc.sql("SELECT customer_id, email FROM customer_contact WHERE customer_id = ?")
                .param(customerId)
                .query((rs, n) -> new CustomerContact(rs.getString("customer_id"), rs.getString("email")))
                .optional();
    }

    /**
     * Sets the customer's address, replacing any earlier one. An upsert, so that two first requests for
     * one customer cannot collide. Mail already queued keeps the address it was queued with.
     */
    public CustomerContact save(CustomerContact contact) {
        jdbc.sql("""
                INSERT INTO customer_contact (customer_id, email, updated_at) VALUES (?, ?, now())
                ON CONFLICT (customer_id) DO UPDATE SET email = EXCLUDED.email, updated_at = EXCLUDED.updated_at""").params(contact.customerId(), contact.email()).update();
        return contact;
    }
}
