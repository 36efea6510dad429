/**
 * Typed builders for CloudWatch dashboard bodies, and the API's dashboard layout. Pure
 * functions of plain strings: the Observability component resolves its inputs, then calls
 * `apiDashboardBody`. Body format:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */

/** The dashboard grid is 24 units wide. */
export const GRID_WIDTH = 24;

export type Statistic = "Sum" | "Average" | "Minimum" | "Maximum" | "SampleCount" | `p${number}`;

/** One CloudWatch metric drawn on a widget. */
export interface MetricSeries {
    readonly kind: "metric";
    readonly namespace: string;
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, string>>;
    readonly stat?: Statistic;
    readonly label?: string;
    /** Id for use in expressions (lowercase first letter). */
    readonly id?: string;
    /** False hides a series that only feeds an expression. */
    readonly visible?: boolean;
    readonly yAxis?: "left" | "right";
}

/** A metric math expression over series with ids. */
export interface ExpressionSeries {
    readonly kind: "expression";
    readonly id: string;
    readonly expression: string;
    readonly label: string;
    readonly yAxis?: "left" | "right";
}

export type Series = MetricSeries | ExpressionSeries;

export interface HorizontalLine {
    readonly label: string;
    readonly value: number;
}

export interface MetricWidgetSpec {
    readonly title: string;
    readonly series: readonly Series[];
    /** Grid units (1-24). */
    readonly width: number;
    readonly height?: number;
    /** Default statistic of series that set none. */
    readonly stat?: Statistic;
    readonly periodSeconds?: number;
    readonly view?: "timeSeries" | "singleValue";
    readonly yAxisLabel?: string;
    readonly yAxisMin?: number;
    readonly horizontalLines?: readonly HorizontalLine[];
}

/** A widget before it is placed on the grid. */
export interface WidgetDraft {
    readonly type: "metric" | "alarm" | "text";
    readonly width: number;
    readonly height: number;
    readonly properties: Record<string, unknown>;
}

/** A placed widget, as the dashboard body holds it. */
export interface Widget extends WidgetDraft {
    readonly x: number;
    readonly y: number;
}

export function metric(
    namespace: string,
    metricName: string,
    dimensions: Readonly<Record<string, string>>,
    options: Omit<MetricSeries, "kind" | "namespace" | "metricName" | "dimensions"> = {},
): MetricSeries {
    return { kind: "metric", namespace, metricName, dimensions, ...options };
}

export function expression(
    id: string,
    mathExpression: string,
    label: string,
    options: Pick<ExpressionSeries, "yAxis"> = {},
): ExpressionSeries {
    return { kind: "expression", id, expression: mathExpression, label, ...options };
}

/** Renders one series in the dashboard's array form: `[ns, name, dim, value, ..., {options}]`. */
export function renderSeries(series: Series): unknown[] {
    if (series.kind === "expression") {
        return [
            {
                id: series.id,
                expression: series.expression,
                label: series.label,
                ...(series.yAxis ? { yAxis: series.yAxis } : {}),
            },
        ];
    }
    const options: Record<string, unknown> = {};
    if (series.stat !== undefined) options.stat = series.stat;
    if (series.label !== undefined) options.label = series.label;
    if (series.id !== undefined) options.id = series.id;
    if (series.visible !== undefined) options.visible = series.visible;
    if (series.yAxis !== undefined) options.yAxis = series.yAxis;
    const dims = Object.entries(series.dimensions).flatMap(([key, value]) => [key, value]);
    return [series.namespace, series.metricName, ...dims, ...(Object.keys(options).length > 0 ? [options] : [])];
}

export function metricWidget(spec: MetricWidgetSpec, region: string): WidgetDraft {
    const properties: Record<string, unknown> = {
        title: spec.title,
        region,
        view: spec.view ?? "timeSeries",
        stacked: false,
        period: spec.periodSeconds ?? 60,
        stat: spec.stat ?? "Average",
        metrics: spec.series.map(renderSeries),
    };
    if (spec.yAxisLabel !== undefined || spec.yAxisMin !== undefined) {
        properties.yAxis = {
            left: {
                ...(spec.yAxisLabel !== undefined ? { label: spec.yAxisLabel, showUnits: false } : {}),
                ...(spec.yAxisMin !== undefined ? { min: spec.yAxisMin } : {}),
            },
        };
    }
    if (spec.horizontalLines && spec.horizontalLines.length > 0) {
        properties.annotations = { horizontal: spec.horizontalLines.map((line) => ({ ...line })) };
    }
    return { type: "metric", width: spec.width, height: spec.height ?? 6, properties };
}

/** An alarm status widget: the current state of each alarm (at most 100). */
export function alarmStatusWidget(title: string, alarmArns: readonly string[], width = GRID_WIDTH): WidgetDraft {
    return {
        type: "alarm",
        width,
        height: Math.max(2, Math.ceil(alarmArns.length / 4) + 1),
        properties: { title, alarms: [...alarmArns], sortBy: "stateUpdatedTimestamp" },
    };
}

export function textWidget(markdown: string, width = GRID_WIDTH, height = 1): WidgetDraft {
    return { type: "text", width, height, properties: { markdown } };
}

/**
 * Places rows of widgets on the grid, left to right and top to bottom. Each row must fit
 * in the 24-unit width; a row is as tall as its tallest widget.
 */
export function layoutRows(rows: readonly (readonly WidgetDraft[])[]): Widget[] {
    const placed: Widget[] = [];
    let y = 0;
    for (const row of rows) {
        const width = row.reduce((sum, widget) => sum + widget.width, 0);
        if (width > GRID_WIDTH) {
            throw new Error(`a dashboard row is ${GRID_WIDTH} units wide; this row needs ${width}.`);
        }
        let x = 0;
        for (const widget of row) {
            placed.push({ ...widget, x, y });
            x += widget.width;
        }
        y += Math.max(0, ...row.map((widget) => widget.height));
    }
    return placed;
}

export function renderDashboard(widgets: readonly Widget[]): string {
    return JSON.stringify({ widgets });
}

/** The resolved names and ids the API dashboard draws. */
export interface ApiDashboardResources {
    readonly region: string;
    readonly loadBalancerArnSuffix: string;
    readonly targetGroupArnSuffix: string;
    readonly ecsClusterName: string;
    readonly ecsServiceName: string;
    readonly dbClusterIdentifier: string;
    readonly dbMaxConnections: number;
    /** Omit when the load balancer has no web ACL. */
    readonly webAclName?: string;
    readonly applicationMetricNamespace: string;
    readonly applicationErrorMetricName: string;
    readonly alarmArns: readonly string[];
}

/** The API's dashboard: alarms, then traffic, tasks, database, edge and application rows. */
export function apiDashboardBody(r: ApiDashboardResources): string {
    const lb = { LoadBalancer: r.loadBalancerArnSuffix };
    const tg = { TargetGroup: r.targetGroupArnSuffix, LoadBalancer: r.loadBalancerArnSuffix };
    const svc = { ClusterName: r.ecsClusterName, ServiceName: r.ecsServiceName };
    const writer = { DBClusterIdentifier: r.dbClusterIdentifier, Role: "WRITER" };
    const reader = { DBClusterIdentifier: r.dbClusterIdentifier, Role: "READER" };
    const w = (spec: MetricWidgetSpec) => metricWidget(spec, r.region);

    const traffic = [
        w({
            title: "Requests per minute",
            width: 6,
            stat: "Sum",
            series: [metric("AWS/ApplicationELB", "RequestCount", lb, { label: "Requests" })],
        }),
        w({
            title: "5xx rate (%)",
            width: 6,
            stat: "Sum",
            yAxisLabel: "%",
            yAxisMin: 0,
            series: [
                metric("AWS/ApplicationELB", "RequestCount", tg, { id: "tgreq", visible: false }),
                metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", tg, { id: "tg5xx", visible: false }),
                metric("AWS/ApplicationELB", "RequestCount", lb, { id: "lbreq", visible: false }),
                metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", lb, { id: "lb5xx", visible: false }),
                expression("tgrate", "100 * FILL(tg5xx, 0) / tgreq", "Targets 5xx %"),
                expression("lbrate", "100 * FILL(lb5xx, 0) / lbreq", "Load balancer 5xx %"),
            ],
        }),
        w({
            title: "Target response time (s)",
            width: 6,
            series: (["p50", "p95", "p99"] as const).map((p) =>
                metric("AWS/ApplicationELB", "TargetResponseTime", tg, { stat: p, label: p }),
            ),
        }),
        w({
            title: "Targets",
            width: 6,
            yAxisMin: 0,
            series: [
                metric("AWS/ApplicationELB", "HealthyHostCount", tg, { stat: "Minimum", label: "Healthy" }),
                metric("AWS/ApplicationELB", "UnHealthyHostCount", tg, { stat: "Maximum", label: "Unhealthy" }),
            ],
        }),
    ];

    const tasks = [
        w({
            title: "ECS CPU (%)",
            width: 8,
            yAxisMin: 0,
            series: [
                metric("AWS/ECS", "CPUUtilization", svc, { stat: "Average", label: "Average" }),
                metric("AWS/ECS", "CPUUtilization", svc, { stat: "Maximum", label: "Maximum" }),
            ],
        }),
        w({
            title: "ECS memory (%)",
            width: 8,
            yAxisMin: 0,
            series: [
                metric("AWS/ECS", "MemoryUtilization", svc, { stat: "Average", label: "Average" }),
                metric("AWS/ECS", "MemoryUtilization", svc, { stat: "Maximum", label: "Maximum" }),
            ],
        }),
        w({
            title: "ECS tasks",
            width: 8,
            yAxisMin: 0,
            series: [
                metric("ECS/ContainerInsights", "RunningTaskCount", svc, { stat: "Minimum", label: "Running" }),
                metric("ECS/ContainerInsights", "DesiredTaskCount", svc, { stat: "Maximum", label: "Desired" }),
            ],
        }),
    ];

    const database = [
        w({
            title: "Aurora CPU (%)",
            width: 8,
            yAxisMin: 0,
            series: [
                metric("AWS/RDS", "CPUUtilization", writer, { label: "Writer" }),
                metric("AWS/RDS", "CPUUtilization", reader, { stat: "Maximum", label: "Readers (max)" }),
            ],
        }),
        w({
            title: "Aurora connections",
            width: 8,
            stat: "Maximum",
            yAxisMin: 0,
            horizontalLines: [{ label: "max_connections", value: r.dbMaxConnections }],
            series: [
                metric("AWS/RDS", "DatabaseConnections", writer, { label: "Writer" }),
                metric("AWS/RDS", "DatabaseConnections", reader, { label: "Readers (max)" }),
            ],
        }),
        w({
            title: "Aurora replica lag (ms)",
            width: 8,
            stat: "Maximum",
            yAxisMin: 0,
            series: [metric("AWS/RDS", "AuroraReplicaLag", reader, { label: "Replica lag (max)" })],
        }),
    ];

    const applicationErrors = w({
        title: "Application ERROR lines",
        width: r.webAclName === undefined ? GRID_WIDTH : 12,
        stat: "Sum",
        periodSeconds: 300,
        yAxisMin: 0,
        series: [
            metric(r.applicationMetricNamespace, r.applicationErrorMetricName, {}, { label: "ERROR lines / 5 min" }),
        ],
    });
    const edge =
        r.webAclName === undefined
            ? [applicationErrors]
            : [
                  w({
                      title: "WAF blocked requests",
                      width: 12,
                      stat: "Sum",
                      yAxisMin: 0,
                      series: [
                          metric(
                              "AWS/WAFV2",
                              "BlockedRequests",
                              { WebACL: r.webAclName, Region: r.region, Rule: "ALL" },
                              { label: "Blocked" },
                          ),
                          metric(
                              "AWS/WAFV2",
                              "AllowedRequests",
                              { WebACL: r.webAclName, Region: r.region, Rule: "ALL" },
                              { label: "Allowed", yAxis: "right" },
                          ),
                      ],
                  }),
                  applicationErrors,
              ];

    return renderDashboard(
        layoutRows([
            [alarmStatusWidget("Alarms", r.alarmArns)],
            [textWidget("## Traffic (load balancer)")],
            traffic,
            [textWidget("## Tasks (ECS)")],
            tasks,
            [textWidget("## Database (Aurora)")],
            database,
            [textWidget(r.webAclName === undefined ? "## Application" : "## Edge (WAF) and application")],
            edge,
        ]),
    );
}
