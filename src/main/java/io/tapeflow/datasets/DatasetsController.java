package io.tapeflow.datasets;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tapeflow.web.AsyncBodies;
import io.tapeflow.web.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.UriComponentsBuilder;

@RestController
@RequestMapping("/api/v1/datasets")
@Tag(name = "Datasets", description = "Synthetic, inline and uploaded data to train on")
class DatasetsController {

    static final String CSV = "text/csv";
    static final String SVG = "image/svg+xml";

    private static final String LINEAR_EXAMPLE = """
            {"name": "reference linear regression", "seed": 42,
             "source": {"type": "linear", "samples": 400, "weights": [2.0, -3.0], "bias": 3.0, "noise": 2.0,
                        "low": -10, "high": 10}}""";
    private static final String RINGS_EXAMPLE = """
            {"name": "reference rings", "seed": 7,
             "source": {"type": "rings", "positives": 2000, "negatives": 2000, "innerRadius": 5.0,
                        "outerRadius": 8.0, "noise": 1.0}}""";
    private static final String INLINE_EXAMPLE = """
            {"name": "xor",
             "source": {"type": "inline", "features": [[0, 0], [0, 1], [1, 0], [1, 1]],
                        "labels": [[0], [1], [1], [0]], "featureNames": ["a", "b"], "labelNames": ["xor"]}}""";
    private static final String CSV_EXAMPLE = """
            x1,x2,y
            2.6161194,0.11071014,9.334667
            9.79207,-0.70180416,22.058844
            -2.4186516,-9.375019,26.736238
            """;

    private static final String CREATE_SUMMARY = "Create a dataset: from a generator, inline values or a CSV file";
    private static final String CREATE_DESCRIPTION = """
            **application/json**: `source.type` is `linear` or `rings` (the reference's generators; the same seed \
            and source give identical rows; an omitted seed is chosen and returned) or `inline`.

            **text/csv** (with the query parameters `name` and `labels`): a header row, then one row per sample. \
            RFC 4180 quoting, LF or CRLF line ends and a UTF-8 BOM are accepted. The columns named in `labels` are \
            labels, all others features. Each column is typed (`columns` in the answer): **numeric** if every \
            present cell is a number, **boolean** if every present cell is true/false (any case, stored 1/0), \
            otherwise **categorical**, with its vocabulary sorted in String order. A categorical feature is one-hot \
            encoded into `name_value` columns (`featureNames`); a categorical label holds the class index \
            0..K-1 of its sorted class names (`classNames`). An empty cell is refused (400 naming `rows[i].column` \
            and the line) unless `missing` is `mean` or `most_frequent`, which record each feature column's fill \
            (reapplied at prediction); an empty label cell is always refused. A non-finite number is a 400.

            Limits: `tapeflow.limits.max-rows`, `max-features` (after one-hot encoding), `max-labels`, `max-values`, \
            `max-categories` (per categorical column), `max-request-bytes`; a CSV body must have arrived within \
            `upload-timeout` (60 s), else 408.""";

    private static final String SPLIT_DESCRIPTION = """
            Creates one dataset per part, named `<name> (train)` etc., with the parent's columns (so a test part \
            encodes exactly like its train part), its own statistics and `parent` recording the split. The rows are \
            shuffled by a Fisher-Yates permutation seeded with `seed` (SplitMix64, the same on every machine); the \
            first `n·train` shuffled rows are the train part, the next `n·validation` the validation part, the rest \
            the test part, the counts rounded by largest remainder so they add up. With `stratify` the same is done \
            within each class of the single label column (classes in ascending label order), so each part keeps the \
            class proportions. Each part keeps its rows in the parent's order. The same seed gives the same parts; \
            the parts own their rows, so the parent can be deleted afterwards.""";

    private final DatasetService service;
    private final AsyncBodies bodies;

    DatasetsController(DatasetService service, AsyncBodies bodies) {
        this.service = service;
        this.bodies = bodies;
    }

    /*
     * The JSON and the CSV variants are one operation in OpenAPI (same path and method), so both carry the same
     * documentation (@CreateDatasetBody): whichever springdoc keeps describes both bodies.
     */
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createDataset", summary = CREATE_SUMMARY, description = CREATE_DESCRIPTION)
    @CreateDatasetBody
    @ApiResponse(responseCode = "201", description = "Created; Location names the new dataset")
    @ProblemResponses.BadRequest
    @ProblemResponses.TooLarge
    @ProblemResponses.UnsupportedMediaType
    ResponseEntity<DatasetResponse> create(@Valid @RequestBody CreateDatasetRequest request) {
        return created(ServletUriComponentsBuilder.fromCurrentRequestUri(), service.create(request));
    }

    @PostMapping(consumes = CSV, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createDataset", summary = CREATE_SUMMARY, description = CREATE_DESCRIPTION)
    @CreateDatasetBody
    @ApiResponse(responseCode = "201", description = "Created; Location names the new dataset")
    @ProblemResponses.BadRequest
    @ProblemResponses.RequestTimeout
    @ProblemResponses.TooLarge
    @ProblemResponses.UnsupportedMediaType
    DeferredResult<ResponseEntity<DatasetResponse>> upload(
            @Parameter(description = "CSV uploads only (required there): the dataset's name", example = "uploaded")
            @RequestParam(required = false) String name,
            @Parameter(description = "CSV uploads only (required there): comma-separated label columns",
                    example = "y")
            @RequestParam(required = false) String labels,
            @Parameter(description = "CSV uploads only: what to do with an empty feature cell: refuse (a 400), "
                    + "mean (numeric: the mean of the present values; boolean and categorical: the most frequent "
                    + "value) or most_frequent (every column its most frequent value; ties to the first in sorted "
                    + "order)", schema = @Schema(type = "string", allowableValues = {"refuse", "mean",
                    "most_frequent"}, defaultValue = "refuse"))
            @RequestParam(required = false) String missing,
            @Parameter(description = "CSV uploads only: the id of a dataset whose columns this CSV has, to encode it "
                    + "the same way (its vocabularies, one-hot columns, class indices and fills): a test table "
                    + "uploaded on its own then scores on a model trained on that dataset even where it lacks a "
                    + "category. labels and missing come from that dataset") @RequestParam(required = false)
            String like,
            HttpServletRequest request) {
        // The body is read without a request thread (a slow client holds none), then parsed as it arrived.
        UriComponentsBuilder uri = ServletUriComponentsBuilder.fromRequestUri(request);
        return bodies.read(request, csv -> created(uri, like == null ? service.upload(name, labels, missing, csv)
                : service.uploadLike(name, like, labels, missing, csv)));
    }

    @PostMapping(value = "/{id}/split", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "splitDataset", summary = "Split a dataset into train/(validation/)test datasets",
            description = SPLIT_DESCRIPTION)
    @ApiResponse(responseCode = "201", description = "The parts, in train, validation, test order")
    @ProblemResponses.BadRequest
    @ProblemResponses.NotFound
    ResponseEntity<SplitResponse> split(@PathVariable UUID id, @Valid @RequestBody SplitRequest request) {
        return ResponseEntity.status(201).body(service.split(id, request));
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listDatasets", summary = "List datasets, newest first")
    @ApiResponse(responseCode = "200", description = "One page")
    @ProblemResponses.BadRequest
    DatasetPage list(
            @Parameter(description = "0-based page number", example = "0")
            @RequestParam(defaultValue = "0") @Min(0) @Max(1_000_000) int page,
            @Parameter(description = "Datasets per page", example = "20")
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
        return service.list(page, size);
    }

    @GetMapping(value = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getDataset", summary = "Get a dataset's description and per-column statistics")
    @ApiResponse(responseCode = "200", description = "The dataset")
    @ProblemResponses.NotFound
    DatasetResponse get(@PathVariable UUID id) {
        return service.get(id);
    }

    @GetMapping(value = "/{id}/rows", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getDatasetRows", summary = "Read a window of rows", description = "An offset past the end gives an empty list.")
    @ApiResponse(responseCode = "200", description = "The rows [offset, offset + limit)")
    @ProblemResponses.BadRequest
    @ProblemResponses.NotFound
    DatasetRows rows(@PathVariable UUID id,
            @Parameter(description = "Index of the first row", example = "0")
            @RequestParam(defaultValue = "0") @Min(0) int offset,
            @Parameter(description = "Rows to return", example = "100")
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        return service.rows(id, offset, limit);
    }

    @GetMapping(value = "/{id}/plot", produces = SVG)
    @Operation(operationId = "plotDataset", summary = "SVG scatter plot of the data",
            description = "Classification data (one 0/1 label, or one categorical label): the first two features "
                    + "coloured by class, with a legend. "
                    + "Otherwise the first label against each feature, one panel per feature (at most four).")
    @ApiResponse(responseCode = "200", description = "An SVG image",
            content = @Content(mediaType = SVG, schema = @Schema(type = "string")))
    @ProblemResponses.NotFound
    ResponseEntity<String> plot(@PathVariable UUID id) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(SVG + ";charset=UTF-8"))
                .body(service.plot(id));
    }

    @DeleteMapping("/{id}")
    @Operation(operationId = "deleteDataset", summary = "Delete a dataset")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ProblemResponses.NotFound
    @ProblemResponses.Conflict
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        service.delete(id);
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<DatasetResponse> created(UriComponentsBuilder datasets, DatasetResponse dataset) {
        return ResponseEntity.created(datasets.path("/{id}").buildAndExpand(dataset.id()).toUri()).body(dataset);
    }

    /** The create operation's body documentation, shared by the JSON and the CSV handler (see above). */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = CreateDatasetRequest.class),
                    examples = {
                            @ExampleObject(name = "linear", summary = "The reference's regression data",
                                    value = LINEAR_EXAMPLE),
                            @ExampleObject(name = "rings", summary = "The reference's classification data",
                                    value = RINGS_EXAMPLE),
                            @ExampleObject(name = "inline", summary = "Values in the request",
                                    value = INLINE_EXAMPLE)}),
            @Content(mediaType = CSV, schema = @Schema(type = "string"),
                    examples = @ExampleObject(name = "csv", summary = "A CSV file", value = CSV_EXAMPLE))})
    @interface CreateDatasetBody {
    }
}
