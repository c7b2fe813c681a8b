package dev.orderflow.platform.web;

import io.micrometer.tracing.Tracer;
import org.apache.catalina.startup.Tomcat;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Error answers as problem details (from handlers and from the container's error page), strict JSON input, a
 * bounded request body, and the ids a request names in its log context, for every service's REST API.
 */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication
@EnableConfigurationProperties(WebLimits.class)
public class WebAutoConfiguration {

    @Bean
    ProblemDetailsAdvice problemDetailsAdvice(WebLimits limits) {
        return new ProblemDetailsAdvice(limits);
    }

    @Bean
    StrictJsonInput strictJsonInput() {
        return new StrictJsonInput();
    }

    @Bean
    WebMvcConfigurer requestLogContext(ObjectProvider<Tracer> tracer) {
        RequestLogContext context = new RequestLogContext(tracer.getIfAvailable());
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(context).addPathPatterns("/api/**");
            }
        };
    }

    /** Ahead of every other filter, security's included: no filter reads a body past the limit. */
    @Bean
    FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(WebLimits limits) {
        FilterRegistrationBean<RequestBodyLimit> registration =
                new FilterRegistrationBean<>(new RequestBodyLimit(limits));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** Replaces Spring Boot's error controller, whose answers are no problems. */
    @Bean
    ProblemErrorController problemErrorController() {
        return new ProblemErrorController();
    }

    @Bean
    @ConditionalOnClass(OpenApiCustomizer.class)
    ApiDocumentation apiDocumentation() {
        return new ApiDocumentation();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Tomcat.class)
    static class TomcatErrorReport {

        /** After Spring Boot's own customizer, which adds the error report valve this one replaces. */
        @Bean
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemReportValve() {
            return new WebServerFactoryCustomizer<>() {
                @Override
                public void customize(ConfigurableTomcatWebServerFactory factory) {
                    factory.addContextCustomizers(ProblemReportValve::install);
                }
            };
        }
    }
}
