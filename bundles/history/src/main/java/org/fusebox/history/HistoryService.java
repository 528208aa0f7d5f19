package org.fusebox.history;

import java.io.IOException;
import java.util.Map;

/** What the history servlet asks of the recorder; a service only inside this bundle (the package is not exported). */
public interface HistoryService {

    /** The series this store holds. */
    SeriesCatalogue catalogue();

    /** Which charger holds which slot series. */
    Map<String, Integer> chargerSlots();

    int maxPoints();

    HistoryStore.Points fetch(HistoryQuery query) throws IOException;

    /** True while the store is open; false when it could not be opened (the health indicator says why). */
    boolean available();
}
