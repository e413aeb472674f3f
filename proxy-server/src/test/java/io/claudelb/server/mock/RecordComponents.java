package io.claudelb.server.mock;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;

/** For the builder tests of the mock's configuration records. */
final class RecordComponents {
    private RecordComponents() {
    }

    /**
     * Fails unless every component of {@code record} differs from the same one of {@code defaults}: then a
     * {@code toBuilder()} that left a component out would come back with the default and fail the round trip. Read
     * from the record's components, so one added later is checked too.
     */
    static <R extends Record> void assertEachDiffers(R record, R defaults) throws ReflectiveOperationException {
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            assertThat(component.getAccessor().invoke(record))
                    .as(component.getName())
                    .isNotEqualTo(component.getAccessor().invoke(defaults));
        }
    }
}
