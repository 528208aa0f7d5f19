package org.fusebox.management.testbundle;

/** Packed into generated test bundles as a DS component implementation (declared by hand-written XML). */
public class PlainComponent {
}
