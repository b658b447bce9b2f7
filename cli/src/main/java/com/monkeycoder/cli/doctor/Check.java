package com.monkeycoder.cli.doctor;

/**
 * The outcome of one {@code monkey doctor} check.
 *
 * @param fix what to do about a warning or failure; null when there is nothing to do
 */
public record Check(String name, Status status, String detail, String fix) {

    /** FAIL makes doctor exit 3; WARN and INFO do not. */
    public enum Status {
        OK("ok"), WARN("warn"), FAIL("FAIL"), INFO("--");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    static Check ok(String name, String detail) {
        return new Check(name, Status.OK, detail, null);
    }

    static Check warn(String name, String detail, String fix) {
        return new Check(name, Status.WARN, detail, fix);
    }

    static Check fail(String name, String detail, String fix) {
        return new Check(name, Status.FAIL, detail, fix);
    }

    static Check info(String name, String detail, String fix) {
        return new Check(name, Status.INFO, detail, fix);
    }
}
