// The notification page: a customer's history, then their new notifications live over Server-Sent Events.
"use strict";

(() => {
    const TYPES = ["ORDER_PLACED", "ORDER_CONFIRMED", "ORDER_REJECTED", "ORDER_CANCELLED"];
    const LABELS = {
        ORDER_PLACED: "Placed",
        ORDER_CONFIRMED: "Confirmed",
        ORDER_REJECTED: "Rejected",
        ORDER_CANCELLED: "Cancelled",
    };
    const CUSTOMER_ID = /^[A-Za-z0-9._-]{1,64}$/;
    // Wait before opening a new stream when the browser gave up on one (it retries network errors itself).
    const REOPEN_DELAY_MS = 5000;

    const el = (id) => document.getElementById(id);
    const customerForm = el("customer-form");
    const customerInput = el("customer-id");
    const connectionState = el("connection-state");
    const orderForm = el("order-form");
    const orderFieldset = el("order-fieldset");
    const orderResult = el("order-result");
    const list = el("notifications");
    const empty = el("notifications-empty");
    const watched = el("watched-customer");

    const configLoaded = fetch("config.json")
        .then((response) => (response.ok ? response.json() : {}))
        .catch(() => ({}));

    let customer = null;
    let source = null;
    let reopenTimer = null;
    // Notifications shown, by sequence: the stream and the history overlap, and each shows once.
    let shown = new Map();

    function setState(state, text) {
        connectionState.className = "connection-state state-" + state;
        connectionState.dataset.state = state;
        connectionState.textContent = text;
    }

    function show(notification) {
        if (notification.customerId !== customer || shown.has(notification.sequence)) {
            return;
        }
        const item = document.createElement("li");
        item.className = "notification type-" + notification.type.toLowerCase().replaceAll("_", "-");
        item.dataset.sequence = String(notification.sequence);
        item.dataset.type = notification.type;
        item.dataset.orderId = notification.orderId;

        const type = document.createElement("span");
        type.className = "notification-type";
        type.textContent = LABELS[notification.type] || notification.type;
        const message = document.createElement("span");
        message.className = "notification-message";
        message.textContent = notification.message;
        const time = document.createElement("time");
        time.className = "notification-time";
        time.dateTime = notification.createdAt;
        time.textContent = new Date(notification.createdAt).toLocaleString();
        time.title = "#" + notification.sequence;
        item.append(type, message, time);

        // Newest first: before the first item with a smaller sequence.
        const later = [...list.children].find((other) => Number(other.dataset.sequence) < notification.sequence);
        list.insertBefore(item, later || null);
        shown.set(notification.sequence, item);
        empty.hidden = true;
    }

    async function loadHistory(forCustomer) {
        const response = await fetch(
            "api/notifications?size=100&customerId=" + encodeURIComponent(forCustomer),
            { headers: { Accept: "application/json" } });
        if (!response.ok) {
            throw new Error("history answered " + response.status);
        }
        const page = await response.json();
        if (forCustomer === customer) {
            page.content.forEach(show);
        }
    }

    function stopWatching() {
        clearTimeout(reopenTimer);
        if (source) {
            source.close();
            source = null;
        }
    }

    function openStream() {
        stopWatching();
        const forCustomer = customer;
        setState("connecting", "Connecting…");
        const stream = new EventSource("api/notifications/stream?customerId=" + encodeURIComponent(forCustomer));
        source = stream;
        const receive = (event) => show(JSON.parse(event.data));
        TYPES.forEach((type) => stream.addEventListener(type, receive));
        stream.onopen = () => {
            setState("live", "Live: new notifications of " + forCustomer + " appear as they happen.");
            // Once the stream is open, everything stored from now on comes through it; the history fills in
            // what came before, and what was stored while the stream was down.
            loadHistory(forCustomer).catch((error) => console.warn("Could not load the history:", error));
        };
        stream.onerror = () => {
            if (stream.readyState === EventSource.CONNECTING) {
                // The browser reconnects by itself and sends Last-Event-ID.
                setState("reconnecting", "Connection lost, reconnecting…");
            } else {
                setState("closed", "Disconnected; trying again in a few seconds.");
                reopenTimer = setTimeout(() => {
                    if (source === stream) {
                        openStream();
                    }
                }, REOPEN_DELAY_MS);
            }
        };
    }

    function watch(newCustomer) {
        customer = newCustomer;
        shown = new Map();
        list.replaceChildren();
        empty.hidden = false;
        watched.textContent = " of " + newCustomer;
        orderFieldset.disabled = false;
        orderResult.textContent = "";
        const url = new URL(window.location.href);
        url.searchParams.set("customer", newCustomer);
        window.history.replaceState(null, "", url);
        openStream();
    }

    customerForm.addEventListener("submit", (event) => {
        event.preventDefault();
        const value = customerInput.value.trim();
        if (!CUSTOMER_ID.test(value)) {
            customerInput.setCustomValidity("1–64 letters, digits, dots, underscores or hyphens.");
            customerInput.reportValidity();
            return;
        }
        customerInput.setCustomValidity("");
        watch(value);
    });
    customerInput.addEventListener("input", () => customerInput.setCustomValidity(""));

    el("new-customer-button").addEventListener("click", () => {
        customerInput.value = "customer-" + Math.random().toString(36).slice(2, 8);
        watch(customerInput.value);
    });

    function problemText(problem) {
        if (problem && Array.isArray(problem.errors) && problem.errors.length > 0) {
            return problem.errors.map((e) => e.field + ": " + e.message).join("; ");
        }
        return (problem && (problem.detail || problem.title)) || "unexpected answer";
    }

    function newIdempotencyKey() {
        return window.crypto && crypto.randomUUID
            ? crypto.randomUUID()
            : Date.now().toString(36) + Math.random().toString(36).slice(2);
    }

    orderForm.addEventListener("submit", async (event) => {
        event.preventDefault();
        if (!customer) {
            return;
        }
        const form = new FormData(orderForm);
        const order = {
            customerId: customer,
            currency: form.get("currency"),
            items: [{
                sku: String(form.get("sku")).trim(),
                quantity: Number(form.get("quantity")),
                unitPrice: Number(form.get("unitPrice")),
            }],
        };
        const button = el("place-order-button");
        button.disabled = true;
        orderResult.className = "order-result";
        orderResult.textContent = "Placing the order…";
        try {
            const config = await configLoaded;
            const base = (config.orderServiceUrl || "http://localhost:8080").replace(/\/+$/, "");
            const response = await fetch(base + "/api/orders", {
                method: "POST",
                headers: { "Content-Type": "application/json", "Idempotency-Key": newIdempotencyKey() },
                body: JSON.stringify(order),
            });
            const body = await response.json().catch(() => null);
            if (response.ok) {
                orderResult.className = "order-result success";
                const total = Number(body.total).toFixed(2) + " " + body.currency;
                orderResult.textContent = "Order " + body.orderId.slice(0, 8) + " accepted (" + body.status
                    + ", total " + total + "). Its notifications follow below.";
            } else {
                orderResult.className = "order-result failure";
                orderResult.textContent = "Order refused (" + response.status + "): " + problemText(body);
            }
        } catch (error) {
            orderResult.className = "order-result failure";
            orderResult.textContent = "Could not reach order-service: " + error.message;
        } finally {
            button.disabled = false;
        }
    });

    const initial = new URL(window.location.href).searchParams.get("customer");
    if (initial && CUSTOMER_ID.test(initial)) {
        customerInput.value = initial;
        watch(initial);
    }
})();
