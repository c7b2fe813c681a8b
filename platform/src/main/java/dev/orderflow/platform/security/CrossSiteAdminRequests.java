package dev.orderflow.platform.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a state-changing admin request (replay, discard) that a browser sends on behalf of another site. A
 * browser that has cached the admin's Basic credentials sends them with any request to the service, also with a
 * form another site submits; no cookie or CSRF token is involved. Browsers say where such a request comes from:
 * {@code Sec-Fetch-Site} (anything but {@code same-origin} or {@code none}, a typed URL or a bookmark) and
 * {@code Origin} (another scheme, host or port, or {@code null}). Either refuses it with a {@code 403} problem,
 * before the credentials are checked. Clients other than browsers (curl, scripts) send neither header.
 */
class CrossSiteAdminRequests extends OncePerRequestFilter {

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    private static final Set<String> OWN_SITE = Set.of("same-origin", "none");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return SAFE_METHODS.contains(request.getMethod());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String site = request.getHeader("Sec-Fetch-Site");
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if ((site != null && !OWN_SITE.contains(site)) || (origin != null && !sameOrigin(origin, request))) {
            ProblemResponses.write(
                    request,
                    response,
                    HttpStatus.FORBIDDEN,
                    "An admin request that changes something must not come from another site's page",
                    Map.of());
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean sameOrigin(String origin, HttpServletRequest request) {
        try {
            URI uri = URI.create(origin);
            if (uri.getScheme() == null || uri.getHost() == null) {
                return false; // "null": a sandboxed page, a file, a redirect across sites
            }
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return uri.getScheme().equalsIgnoreCase(request.getScheme())
                    && uri.getHost().equalsIgnoreCase(request.getServerName())
                    && port == request.getServerPort();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
