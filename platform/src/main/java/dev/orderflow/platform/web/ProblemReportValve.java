package dev.orderflow.platform.web;

import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's error report as a problem: what Tomcat refuses before any filter or servlet sees the request (a URL
 * with an encoded slash or an invalid percent-encoding, a request line it cannot parse) is otherwise answered with
 * an HTML page. It writes only when nothing else has (Spring's error page answers everything that reaches the
 * application), and echoes nothing of the request.
 */
class ProblemReportValve extends ErrorReportValve {

    /**
     * Replaces the host's error report valves (Spring Boot adds one of its own) with this one, and names it as the
     * host's, which otherwise adds Tomcat's own when it starts.
     */
    static void install(Context context) {
        Container host = context.getParent();
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
            }
        }
        host.getPipeline().addValve(new ProblemReportValve());
        if (host instanceof StandardHost standard) {
            standard.setErrorReportValveClass(ProblemReportValve.class.getName());
        }
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int code = response.getStatus();
        if (code < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus status = HttpStatus.resolve(code);
        String title = status != null ? status.getReasonPhrase() : "Error";
        String detail = code >= 500
                ? "The request failed for a reason the service did not foresee"
                : "The server could not accept the request as it was sent";
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + code
                        + ",\"detail\":\"" + detail + "\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response is no longer usable: nothing more to say
        }
    }
}
