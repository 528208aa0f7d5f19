package org.fusebox.market.csv;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fusebox CSV price feed",
        description = "Day-ahead prices read from a CSV file (time,price per MWh). PID fusebox.market.csv.")
public @interface CsvPriceFeedConfig {

    @AttributeDefinition(name = "File",
            description = "Path of the CSV file. A relative path is resolved against karaf.base when set.")
    String file();

    @AttributeDefinition(name = "Time zone",
            description = "Zone of local times in the first column (instants with an offset ignore it).")
    String timeZone() default "Europe/Brussels";

    @AttributeDefinition(name = "Currency", description = "ISO 4217 code of the prices.")
    String currency() default "EUR";

    @AttributeDefinition(name = "Feed id", description = "The id this PriceFeed reports: letters, digits, '.', '_', '-'.")
    String id() default "csv";

    @AttributeDefinition(name = "Slot length (minutes)", min = "0",
            description = "Length of each price slot; 0 infers it from the file (shortest step between rows).")
    int slotMinutes() default 0;

    @AttributeDefinition(name = "Shift to current year",
            description = "Replay the file's year onto the current and next year by weekday and local hour, for demos.")
    boolean shiftToCurrentYear() default false;
}
