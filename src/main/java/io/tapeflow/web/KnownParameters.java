package io.tapeflow.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses query parameters a handler does not declare: a 400 naming each of them and the ones the endpoint takes,
 * as the strict JSON bodies refuse unknown fields ({@code /models?datasetId=…} must not quietly list everything).
 * The allowed names are the handler's own {@code @RequestParam}s, so declaring a parameter is all an endpoint does;
 * it applies to this service's controllers only (not the actuator or springdoc), and not to error dispatches.
 */
public final class KnownParameters implements HandlerInterceptor {

    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

    /** Per handler method: its parameter names, or null when it takes any (a {@code @RequestParam Map}). */
    private final Map<HandlerMethod, Set<String>> allowed = new ConcurrentHashMap<>();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (request.getDispatcherType() != DispatcherType.REQUEST || !(handler instanceof HandlerMethod method)
                || !method.getBeanType().getPackageName().startsWith("io.tapeflow")) {
            return true;
        }
        Set<String> known = allowed.computeIfAbsent(method, KnownParameters::declared);
        if (known.contains("*")) {
            return true;
        }
        Set<String> unknown = new TreeSet<>();
        for (String name : request.getParameterMap().keySet()) {
            if (!known.contains(name)) {
                unknown.add(name);
            }
        }
        if (unknown.isEmpty()) {
            return true;
        }
        String takes = known.isEmpty() ? "takes no query parameters" : "takes only " + known;
        List<FieldProblem> errors = new ArrayList<>();
        for (String name : unknown) {
            if (errors.size() == 20) {
                break; // every list of errors is capped
            }
            errors.add(new FieldProblem(name, "is not a query parameter of this endpoint, which " + takes));
        }
        throw ApiException.badRequest(errors);
    }

    private static Set<String> declared(HandlerMethod method) {
        Set<String> names = new LinkedHashSet<>();
        for (MethodParameter p : method.getMethodParameters()) {
            RequestParam param = p.getParameterAnnotation(RequestParam.class);
            if (param == null) {
                continue;
            }
            if (Map.class.isAssignableFrom(p.getParameterType())) {
                return Set.of("*");
            }
            String name = param.name().isEmpty() ? param.value() : param.name();
            if (name.isEmpty()) {
                p.initParameterNameDiscovery(NAMES);
                name = p.getParameterName();
            }
            names.add(name);
        }
        return Collections.unmodifiableSet(new TreeSet<>(names));
    }
}
