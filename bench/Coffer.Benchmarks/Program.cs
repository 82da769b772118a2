using BenchmarkDotNet.Running;

namespace Coffer.Benchmarks;

internal static class Program
{
    private static void Main(string[] args)
    {
        if (args is ["--memory", ..])
        {
            // Index memory per blob, measured in this process without BenchmarkDotNet (see IndexBenchmarks.MeasureMemory).
            foreach (var blobs in args.Length > 1 ? args[1..].Select(int.Parse) : [1_000_000, 5_000_000])
            {
                var memory = IndexBenchmarks.MeasureMemory(blobs);
                Console.WriteLine(memory.ToString());
                GC.KeepAlive(memory.Index);
            }
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
