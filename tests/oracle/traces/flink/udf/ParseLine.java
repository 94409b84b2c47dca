// A user function class, packed into its own jar by run.sh (the flink-usercode scenario).
package com.example.udf;

public class ParseLine implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public String separator = ",";
}
