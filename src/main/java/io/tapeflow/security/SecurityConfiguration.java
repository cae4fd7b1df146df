package io.tapeflow.security;

import java.io.IOException;
import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.tapeflow.web.ProblemResponses;
import io.tapeflow.web.ProblemWriter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.header.HeaderWriter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import tools.jackson.databind.json.JsonMapper;

/**
 * Optional API keys. With {@code tapeflow.security.api-key-hashes} empty every endpoint is open, as before; with
 * hashes configured every {@code /api/**} request and the metrics endpoints need a key in {@code X-API-Key} or
 * {@code Authorization: Bearer}, and a missing or wrong one is a 401 problem body. Health probes, Swagger UI and the
 * OpenAPI document stay open: probes carry no keys, and the API's description is no secret (its calls still need a
 * key; Swagger UI's Authorize button takes it). Health then shows its status only; its details go to a key holder. The API is stateless: no sessions, no cookies, hence no CSRF tokens.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiKeyProperties.class)
class SecurityConfiguration {

    static final String HEADER = "X-API-Key";
    private static final String BEARER = "Bearer ";
    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    @Bean
    ApiKeys apiKeys(ApiKeyProperties settings) {
        ApiKeys keys = ApiKeys.of(settings.apiKeyHashes());
        log.info(keys.enabled() ? "API keys required on /api/** ({} configured)"
                : "No API keys configured: the API is open to anyone who can reach it", settings.apiKeyHashes().size());
        return keys;
    }

    /** Checks a presented key; its only user is the filter below (and it keeps Boot from inventing a password). */
    @Bean
    AuthenticationManager apiKeyAuthenticationManager(ApiKeys keys) {
        return presented -> {
            String key = String.valueOf(presented.getCredentials());
            if (!keys.matches(key)) {
                throw new BadCredentialsException("The API key is not valid");
            }
            // named by a prefix of its hash: enough to tell keys apart in logs, useless to an attacker
            return UsernamePasswordAuthenticationToken.authenticated(
                    "api-key:" + ApiKeys.sha256Hex(key).substring(0, 8), null, List.of());
        };
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeys keys, AuthenticationManager manager, JsonMapper json) {
        AuthenticationEntryPoint unauthorized = (request, response, e) -> unauthorized(request, response, e, json);
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .headers(h -> h.addHeaderWriter(dashboardPolicy()))
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized));
        if (!keys.enabled()) {
            http.authorizeHttpRequests(a -> a.anyRequest().permitAll());
            return http.build();
        }
        RequestMatcher guarded = guardedPaths();
        AuthenticationFilter filter = new AuthenticationFilter(manager, presentedKey());
        filter.setRequestMatcher(guarded);
        // Health stays open to anyone (a wrong key is just no key there), but a valid key's holder sees the details.
        AuthenticationConverter validKeyOnly = request -> {
            Authentication presented = presentedKey().convert(request);
            // no token: the request goes on unauthenticated, as without a key
            return presented != null && keys.matches(String.valueOf(presented.getCredentials())) ? presented : null;
        };
        AuthenticationFilter health = new AuthenticationFilter(manager, validKeyOnly);
        health.setRequestMatcher(healthPaths());
        health.setSuccessHandler((request, response, authentication) -> {
        });
        http.addFilterBefore(health, AuthorizationFilter.class);
        filter.setSuccessHandler((request, response, authentication) -> {
        });
        filter.setFailureHandler(unauthorized::commence);
        http.addFilterBefore(filter, AuthorizationFilter.class)
                .authorizeHttpRequests(a -> a
                        // error pages and async (SSE) dispatches belong to a request that was already checked
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll()
                        .requestMatchers(guarded).authenticated()
                        .anyRequest().permitAll());
        return http.build();
    }

    /** With keys configured, Swagger UI offers an Authorize button and sends the key with each call. */
    @Bean
    OpenApiCustomizer apiKeyOpenApi(ApiKeys keys) {
        return openApi -> {
            if (!keys.enabled()) {
                return;
            }
            if (openApi.getComponents() == null) {
                openApi.setComponents(new Components());
            }
            openApi.getComponents().addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                    .in(SecurityScheme.In.HEADER).name(HEADER)
                    .description("An API key; `Authorization: Bearer <key>` works too"));
            openApi.addSecurityItem(new SecurityRequirement().addList("apiKey"));
            if (openApi.getPaths() != null) {
                openApi.getPaths().forEach((path, item) -> item.readOperations().forEach(operation -> {
                    if (operation.getResponses() != null) {
                        operation.getResponses().addApiResponse("401", new ApiResponse()
                                .description("No API key, or not a valid one")
                                .content(new Content().addMediaType(ProblemResponses.PROBLEM_JSON,
                                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")))));
                    }
                }));
            }
        };
    }

    /**
     * The dashboard's page (static/index.html) may load scripts, styles and plots from this origin only: the page
     * works offline and nothing injected into it can call out. Plots arrive as blob: URLs (fetched with the key).
     */
    static HeaderWriter dashboardPolicy() {
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        return new DelegatingRequestMatcherHeaderWriter(new OrRequestMatcher(path.matcher("/"),
                path.matcher("/index.html")), new ContentSecurityPolicyHeaderWriter("default-src 'self'; "
                + "img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; object-src 'none'; "
                + "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"));
    }

    /**
     * With keys configured, health answers anyone its status only; its details and components (data directory,
     * disk sizes, database type, worker counts) go to a caller with a key. Probes carry no key and need no more
     * than the status. Without keys everyone sees everything, as before. Set on the properties before the health
     * endpoint's groups are built from them.
     */
    @Bean
    static BeanPostProcessor healthDetailsForKeyHolders(Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof HealthEndpointProperties health && keysConfigured(environment)) {
                    health.setShowDetails(Show.WHEN_AUTHORIZED);
                    health.setShowComponents(Show.WHEN_AUTHORIZED);
                    health.getGroup().values().forEach(group -> {
                        group.setShowDetails(Show.WHEN_AUTHORIZED);
                        group.setShowComponents(Show.WHEN_AUTHORIZED);
                    });
                }
                return bean;
            }
        };
    }

    private static boolean keysConfigured(Environment environment) {
        List<String> hashes = Binder.get(environment).bind("tapeflow.security.api-key-hashes",
                Bindable.listOf(String.class)).orElse(List.of());
        return ApiKeys.of(hashes).enabled();
    }

    private static RequestMatcher healthPaths() {
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        return new OrRequestMatcher(path.matcher("/actuator/health"), path.matcher("/actuator/health/**"));
    }

    /** The API and the metrics; not the health probes, info, Swagger UI or the OpenAPI document. */
    static RequestMatcher guardedPaths() {
        PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
        RequestMatcher open = new OrRequestMatcher(healthPaths(), path.matcher("/actuator/info"));
        return new AndRequestMatcher(new OrRequestMatcher(path.matcher("/api/**"), path.matcher("/actuator/**")),
                new NegatedRequestMatcher(open));
    }

    /** The key from {@code X-API-Key}, else from {@code Authorization: Bearer}; null when neither is there. */
    static AuthenticationConverter presentedKey() {
        return request -> {
            String key = request.getHeader(HEADER);
            if (key == null) {
                String authorization = request.getHeader("Authorization");
                if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                    key = authorization.substring(BEARER.length()).strip();
                }
            }
            return key == null ? null : UsernamePasswordAuthenticationToken.unauthenticated("api-key", key);
        };
    }

    private static void unauthorized(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException e, JsonMapper json) throws IOException {
        boolean presented = e instanceof BadCredentialsException;
        response.setHeader("WWW-Authenticate", "Bearer realm=\"tapeflow\"");
        ProblemWriter.write(request, response, json, HttpStatus.UNAUTHORIZED, "Unauthorized", presented
                ? "The API key is not valid"
                : "An API key is required: send it in the " + HEADER + " header or as Authorization: Bearer <key>");
    }
}
