package io.tapeflow.models;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tapeflow.datasets.Column;
import io.tapeflow.datasets.ColumnEncoding;
import io.tapeflow.datasets.NameRule;

import io.tapeflow.engine.Rng;
import io.tapeflow.engine.Tensor;
import io.tapeflow.models.ModelDocument.Architecture;
import io.tapeflow.models.ModelDocument.Layer;
import io.tapeflow.models.ModelDocument.Parameter;
import io.tapeflow.models.ModelDocument.Signature;
import io.tapeflow.nn.Activation;
import io.tapeflow.nn.Dense;
import io.tapeflow.nn.Initializer;
import io.tapeflow.nn.Sequential;
import io.tapeflow.nn.Standardization;

import io.tapeflow.web.ApiException;
import io.tapeflow.web.FieldProblem;

/** Turns an engine model into a {@link ModelDocument} and back, checking a document completely on the way in. */
public final class ModelCodec {

    private static final Set<String> TYPES = Set.of("linear", "mlp");
    private static final Set<Activation> ACTIVATIONS = EnumSet.of(Activation.LINEAR, Activation.RELU,
            Activation.SIGMOID, Activation.TANH);
    private static final Set<Activation> OUTPUTS = EnumSet.of(Activation.LINEAR, Activation.SIGMOID,
            Activation.SOFTMAX);
    private static final int MAX_WIDTH = 1 << 16;
    private static final String MEAN = "standardize/mean";
    private static final String STD = "standardize/std";

    private ModelCodec() {
    }

    /** The architecture of an engine model; {@code type} is how it was asked for ({@code linear} or {@code mlp}). */
    public static Architecture architecture(String type, Sequential model) {
        List<Layer> layers = new ArrayList<>();
        List<Integer> hidden = new ArrayList<>();
        List<Dense> dense = model.layers();
        for (int i = 0; i < dense.size(); i++) {
            Dense d = dense.get(i);
            layers.add(new Layer(d.name(), d.inputWidth(), d.units(), d.activation().apiName()));
            if (i < dense.size() - 1) {
                hidden.add(d.units());
            }
        }
        String activation = dense.size() > 1 ? dense.get(0).activation().apiName() : "linear";
        return new Architecture(type, model.inputWidth(), hidden, activation, model.outputWidth(),
                model.outputActivation().apiName(), layers, model.standardization() != null);
    }

    /** Parameter values by name, nested by shape, in the model's variable order. */
    public static Map<String, Parameter> parameters(Sequential model) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.parameters().entrySet()) {
            int[] shape = e.getValue().shape();
            List<Integer> dims = new ArrayList<>();
            for (int d : shape) {
                dims.add(d);
            }
            out.put(e.getKey(), new Parameter(dims, nest(e.getValue().toArray(), shape, 0, 0)));
        }
        return out;
    }

    /** An engine model with the document's architecture and parameters; the document must be {@link #check}ed. */
    public static Sequential model(ModelDocument doc) {
        Architecture a = doc.architecture();
        int[] hidden = new int[a.hiddenLayers().size()];
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] = a.hiddenLayers().get(i);
        }
        Sequential model = Sequential.mlp(a.inputs(), hidden, Activation.byName(a.activation()), a.outputs(),
                Activation.byName(a.output()), Initializer.ZEROS, new Rng(0));
        if (a.isStandardized()) {
            model = model.withStandardization(Standardization.identity(a.inputs()));
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : doc.parameters().entrySet()) {
            values.put(e.getKey(), flatten(e.getValue()));
        }
        model.setParameters(values);
        return model;
    }

    /**
     * Every problem of an imported document, as field errors with JSON paths; empty when it describes a model
     * this service can run.
     */
    public static List<FieldProblem> check(ModelDocument doc) {
        List<FieldProblem> errors = new ArrayList<>();
        if (!ModelDocument.FORMAT.equals(doc.format())) {
            errors.add(new FieldProblem("format", "must be '" + ModelDocument.FORMAT + "', got '" + doc.format()
                    + "'"));
        }
        if (doc.version() == null || doc.version() < 1 || doc.version() > ModelDocument.VERSION) {
            errors.add(new FieldProblem("version", "must be 1 to " + ModelDocument.VERSION + ", got "
                    + doc.version()));
        }
        Architecture a = doc.architecture();
        if (a == null) {
            errors.add(new FieldProblem("architecture", "is required"));
            return errors;
        }
        checkArchitecture(a, errors);
        if (!errors.isEmpty()) {
            return errors;
        }
        checkSignature(doc.signature(), a, errors);
        if (doc.signature() != null) {
            checkColumns(doc.signature(), errors);
        }
        Map<String, int[]> expected = expectedShapes(a);
        Map<String, Parameter> given = doc.parameters() == null ? Map.of() : doc.parameters();
        for (String name : expected.keySet()) {
            if (!given.containsKey(name)) {
                errors.add(new FieldProblem("parameters", "is missing '" + name + "'"));
            }
        }
        for (Map.Entry<String, Parameter> e : given.entrySet()) {
            if (ApiException.enough(errors)) {
                break;
            }
            String field = "parameters." + e.getKey();
            int[] shape = expected.get(e.getKey());
            if (shape == null) {
                errors.add(new FieldProblem(field, "is not a parameter of this architecture; expected "
                        + expected.keySet()));
                continue;
            }
            Parameter p = e.getValue();
            if (p == null || p.shape() == null || !sameShape(p.shape(), shape)) {
                errors.add(new FieldProblem(field + ".shape", "must be " + Arrays.toString(shape)));
                continue;
            }
            checkValues(p.values(), shape, 0, field + ".values", errors);
            if (e.getKey().equals(STD) && errors.isEmpty() && !positive(flatten(p))) {
                errors.add(new FieldProblem(field + ".values", "must all be above 0 (a standard deviation)"));
            }
        }
        return errors;
    }

    /** Throws a 400 with every problem of the document. */
    public static void requireValid(ModelDocument doc) {
        List<FieldProblem> errors = check(doc);
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(errors);
        }
    }

    private static void checkArchitecture(Architecture a, List<FieldProblem> errors) {
        if (a.type() == null || !TYPES.contains(a.type())) {
            errors.add(new FieldProblem("architecture.type", "must be one of " + TYPES + ", got '" + a.type() + "'"));
        }
        if (a.inputs() == null || a.inputs() < 1 || a.inputs() > MAX_WIDTH) {
            errors.add(new FieldProblem("architecture.inputs", "must be between 1 and " + MAX_WIDTH));
        }
        if (a.outputs() == null || a.outputs() < 1 || a.outputs() > MAX_WIDTH) {
            errors.add(new FieldProblem("architecture.outputs", "must be between 1 and " + MAX_WIDTH));
        }
        if (a.hiddenLayers() == null) {
            errors.add(new FieldProblem("architecture.hiddenLayers", "is required (empty for a linear model)"));
        } else {
            if (a.hiddenLayers().size() > 64) {
                // one error for the list, not one per layer: a million bad layers were a million errors
                errors.add(new FieldProblem("architecture.hiddenLayers", "at most 64 layers, got "
                        + a.hiddenLayers().size()));
            }
            for (int i = 0; i < a.hiddenLayers().size() && i < 64; i++) {
                Integer w = a.hiddenLayers().get(i);
                if (w == null || w < 1 || w > MAX_WIDTH) {
                    errors.add(new FieldProblem("architecture.hiddenLayers[" + i + "]", "must be between 1 and "
                            + MAX_WIDTH));
                }
            }
            if ("linear".equals(a.type()) && !a.hiddenLayers().isEmpty()) {
                errors.add(new FieldProblem("architecture.hiddenLayers", "a linear model has none"));
            }
        }
        if (!oneOf(a.activation(), ACTIVATIONS)) {
            errors.add(new FieldProblem("architecture.activation", "must be one of " + names(ACTIVATIONS)));
        }
        if (!oneOf(a.output(), OUTPUTS)) {
            errors.add(new FieldProblem("architecture.output", "must be one of " + names(OUTPUTS)));
        } else if (a.output().equals("softmax") && a.outputs() != null && a.outputs() < 2) {
            errors.add(new FieldProblem("architecture.outputs", "a softmax output needs at least 2 outputs"));
        }
    }

    private static void checkSignature(Signature s, Architecture a, List<FieldProblem> errors) {
        if (s == null) {
            errors.add(new FieldProblem("signature", "is required"));
            return;
        }
        if (!a.inputs().equals(s.inputs())) {
            errors.add(new FieldProblem("signature.inputs", "must equal architecture.inputs (" + a.inputs() + ")"));
        }
        if (!a.outputs().equals(s.outputs())) {
            errors.add(new FieldProblem("signature.outputs", "must equal architecture.outputs (" + a.outputs()
                    + ")"));
        }
        if (s.featureNames() == null || s.featureNames().size() != a.inputs()) {
            errors.add(new FieldProblem("signature.featureNames", "must name each of the " + a.inputs()
                    + " inputs"));
        } else if (s.columns() == null) {
            // the datasets' rule: a model takes only names a dataset could have had. With raw columns the inputs are
            // their encoding (name_category, categories hold any CSV text): the columns' own names are checked.
            NameRule.checkNames("signature.featureNames", s.featureNames(), errors);
        } else {
            List<String> raw = new ArrayList<>(s.columns().size());
            for (Column c : s.columns()) {
                raw.add(c == null ? null : c.name());
            }
            NameRule.checkNames("signature.columns", raw, errors);
        }
        if (s.labelNames() == null || s.labelNames().size() != a.outputs()) {
            errors.add(new FieldProblem("signature.labelNames", "must name each of the " + a.outputs()
                    + " outputs"));
        } else {
            NameRule.checkNames("signature.labelNames", s.labelNames(), errors);
        }
        if ("classifier".equals(s.kind())) {
            checkClassifier(s, a, errors);
        } else if (!"regressor".equals(s.kind())) {
            errors.add(new FieldProblem("signature.kind", "must be 'classifier' or 'regressor', got '" + s.kind()
                    + "'"));
        }
        if (s.featureRanges() != null) {
            if (s.featureRanges().size() != a.inputs()) {
                errors.add(new FieldProblem("signature.featureRanges", "must have one [min, max] per input"));
            } else {
                for (int i = 0; i < s.featureRanges().size() && !ApiException.enough(errors); i++) {
                    List<Float> r = s.featureRanges().get(i);
                    if (r == null || r.size() != 2 || r.get(0) == null || r.get(1) == null
                            || !Float.isFinite(r.get(0)) || !Float.isFinite(r.get(1)) || r.get(0) > r.get(1)) {
                        errors.add(new FieldProblem("signature.featureRanges[" + i + "]",
                                "must be [min, max] with finite min ≤ max"));
                    }
                }
            }
        }
    }

    private static void checkClassifier(Signature s, Architecture a, List<FieldProblem> errors) {
        boolean softmax = "softmax".equals(a.output());
        if (!softmax && !"sigmoid".equals(a.output())) {
            errors.add(new FieldProblem("signature.kind", "a classifier needs architecture.output 'sigmoid' or "
                    + "'softmax'"));
        }
        if (!softmax && (s.threshold() == null || !(s.threshold() > 0 && s.threshold() < 1))) {
            errors.add(new FieldProblem("signature.threshold", "a sigmoid classifier needs a threshold in (0, 1)"));
        }
        if (s.classNames() != null) {
            int classes = softmax ? a.outputs() : 2;
            // class names are categories of a label column: any CSV text, so not held to the names' rule
            if (s.classNames().size() != classes || s.classNames().stream().anyMatch(n -> n == null || n.isBlank())
                    || new java.util.HashSet<>(s.classNames()).size() != classes) {
                errors.add(new FieldProblem("signature.classNames", "must name each of the " + classes
                        + " classes once"));
            }
        }
    }

    /** Raw columns must encode to exactly the inputs the model has, named as the signature names them. */
    private static void checkColumns(Signature s, List<FieldProblem> errors) {
        if (s.columns() == null || s.featureNames() == null) {
            return;
        }
        for (int i = 0; i < s.columns().size(); i++) {
            if (s.columns().get(i) == null || !Column.FEATURE.equals(s.columns().get(i).role())) {
                errors.add(new FieldProblem("signature.columns[" + i + "]", "must be a feature column"));
                return;
            }
        }
        if (!ColumnEncoding.expandedNames(s.columns(), Column.FEATURE).equals(s.featureNames())) {
            errors.add(new FieldProblem("signature.columns", "must encode to the inputs signature.featureNames "
                    + "(each numeric or boolean column one input, each categorical one a name_value input per "
                    + "category)"));
        }
    }

    private static Map<String, int[]> expectedShapes(Architecture a) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        int width = a.inputs();
        int n = 1;
        for (int h : a.hiddenLayers()) {
            shapes.put("dense_" + n + "/kernel", new int[] {width, h});
            shapes.put("dense_" + n + "/bias", new int[] {h});
            width = h;
            n++;
        }
        shapes.put("dense_" + n + "/kernel", new int[] {width, a.outputs()});
        shapes.put("dense_" + n + "/bias", new int[] {a.outputs()});
        if (a.isStandardized()) {
            shapes.put(MEAN, new int[] {a.inputs()});
            shapes.put(STD, new int[] {a.inputs()});
        }
        return shapes;
    }

    private static boolean sameShape(List<Integer> given, int[] shape) {
        if (given.size() != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (given.get(i) == null || given.get(i) != shape[i]) {
                return false;
            }
        }
        return true;
    }

    private static void checkValues(Object values, int[] shape, int axis, String field, List<FieldProblem> errors) {
        boolean innermost = axis == shape.length - 1;
        if (values instanceof float[] leaf && innermost && leaf.length == shape[axis]) {
            for (int i = 0; i < leaf.length; i++) {
                if (!Float.isFinite(leaf[i])) {
                    errors.add(new FieldProblem(field + "[" + i + "]", "must be a finite float32 number, got "
                            + leaf[i]));
                    return;
                }
            }
            return;
        }
        if (!(values instanceof List<?> list) || list.size() != shape[axis]) {
            errors.add(new FieldProblem(field, "must be a list of " + shape[axis]
                    + (axis == shape.length - 1 ? " numbers" : " lists")));
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            Object v = list.get(i);
            if (axis < shape.length - 1) {
                checkValues(v, shape, axis + 1, field + "[" + i + "]", errors);
            } else if (!(v instanceof Number number) || !Float.isFinite(toFloat(number))) {
                errors.add(new FieldProblem(field + "[" + i + "]", "must be a finite float32 number, got " + v));
            }
            if (ApiException.enough(errors)) {
                return;
            }
        }
    }

    private static Object nest(float[] flat, int[] shape, int axis, int offset) {
        int n = shape[axis];
        if (axis == shape.length - 1) {
            return Arrays.copyOfRange(flat, offset, offset + n); // written as a JSON list, unboxed
        }
        int stride = 1;
        for (int a = axis + 1; a < shape.length; a++) {
            stride *= shape[a];
        }
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(nest(flat, shape, axis + 1, offset + i * stride));
        }
        return out;
    }

    private static boolean positive(float[] values) {
        for (float v : values) {
            if (!(v > 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean oneOf(String name, Set<Activation> allowed) {
        for (Activation a : allowed) {
            if (a.apiName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> names(Set<Activation> activations) {
        List<String> names = new ArrayList<>();
        for (Activation a : activations) {
            names.add(a.apiName());
        }
        return names;
    }

    static float[] flatten(Parameter p) {
        int size = 1;
        for (int d : p.shape()) {
            size *= d;
        }
        float[] out = new float[size];
        int[] at = {0};
        collect(p.values(), out, at);
        return out;
    }

    private static void collect(Object values, float[] out, int[] at) {
        if (values instanceof float[] leaf) {
            System.arraycopy(leaf, 0, out, at[0], leaf.length);
            at[0] += leaf.length;
        } else if (values instanceof List<?> list) {
            for (Object v : list) {
                collect(v, out, at);
            }
        } else {
            out[at[0]++] = toFloat((Number) values);
        }
    }

    /** Decimal to float32 with one rounding: a BigDecimal (how imports are read) converts exactly. */
    static float toFloat(Number n) {
        if (n instanceof BigDecimal d) {
            return d.floatValue();
        }
        return n.floatValue();
    }
}
