package io.tapeflow.datasets;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * The reference chapter's two datasets, provided under fixed ids, so that a training job can be sent from Swagger
 * UI's examples (or the dashboard) on a fresh start without creating a dataset first. Each is created at start when
 * it is missing ({@code tapeflow.reference-datasets: false} turns this off): deleting one removes it until the next
 * start. Same seeds as the README's commands, so the rows are the ones the reference shows.
 */
@Component
public class ReferenceDatasets {

    public static final String LINEAR_ID = "00000000-0000-4000-8000-000000000001";
    public static final String RINGS_ID = "00000000-0000-4000-8000-000000000002";
    static final UUID LINEAR = UUID.fromString(LINEAR_ID);
    static final UUID RINGS = UUID.fromString(RINGS_ID);

    private static final Logger log = LoggerFactory.getLogger(ReferenceDatasets.class);

    private final DatasetService service;
    private final DatasetStore store;
    private final boolean enabled;

    ReferenceDatasets(DatasetService service, DatasetStore store,
            @Value("${tapeflow.reference-datasets:true}") boolean enabled) {
        this.service = service;
        this.store = store;
        this.enabled = enabled;
    }

    /** Before readiness: the examples work as soon as the service takes requests. */
    @EventListener(ApplicationStartedEvent.class)
    void provide() {
        if (!enabled) {
            return;
        }
        provide(LINEAR, new CreateDatasetRequest("reference linear regression", 42L,
                new LinearSource(null, null, null, null, null, null)));
        provide(RINGS, new CreateDatasetRequest("reference rings", 7L,
                new RingsSource(null, null, null, null, null)));
    }

    private void provide(UUID id, CreateDatasetRequest request) {
        if (store.exists(id)) {
            return;
        }
        try {
            service.create(id, request);
            log.info("Provided the reference dataset '{}' as {}", request.name(), id);
        } catch (DuplicateKeyException e) {
            // Another replica provided it at the same moment: the same rows either way.
        }
    }
}
