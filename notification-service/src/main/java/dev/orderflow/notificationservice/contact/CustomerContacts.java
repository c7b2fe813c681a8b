package dev.orderflow.notificationservice.contact;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
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

    /** The addresses of those of these customers that have one. */
    public Map<String, String> emailsOf(Collection<String> customerIds) {
        Map<String, String> emails = new HashMap<>();
        jdbc.sql("SELECT customer_id, email FROM customer_contact WHERE customer_id = ANY(?)")
                .param(customerIds.stream().distinct().toArray(String[]::new))
                .query((rs, n) -> emails.put(rs.getString("customer_id"), rs.getString("email")))
                .list();
        return emails;
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
