using System.CommandLine;
using System.Text.Json;
using Coffer.Cli.Rendering;
using Coffer.Core.Repository;

namespace Coffer.Cli.Commands;

/// <summary><c>coffer key list|add|remove|passwd</c>: manage the passwords (key files) of a repository.</summary>
internal static class KeyCommand
{
    public static Command Create(CommandEnv env)
    {
        var command = new Command("key", "Manage keys (passwords)");
        command.Subcommands.Add(List(env));
        command.Subcommands.Add(AddOrPasswd(env, "add", "Add a new key (password) to the repository", replace: false));
        command.Subcommands.Add(AddOrPasswd(env, "passwd", "Change key (password); creates a new key ID and removes the old one", replace: true));
        command.Subcommands.Add(Remove(env));
        return command;
    }

    private static Command List(CommandEnv env)
    {
        var command = new Command("list", "List keys (passwords)");
        env.BindWithRepository(command, LockMode.Shared, async (result, settings, session, ct) =>
        {
            var keys = await KeyRing.ListAsync(session.Repository, ct, (name, e) => env.Console.Error.WriteLine($"LoadKey() failed: {name[..8]}: {e.Message}")).ConfigureAwait(false);
            if (settings.Json)
            {
                var items = keys.Select(k => new Dictionary<string, object>
                {
                    ["current"] = k.IsCurrent,
                    ["id"] = k.Name[..8],
                    ["userName"] = k.File.Username,
                    ["hostName"] = k.File.Hostname,
                    ["created"] = k.File.Created.InZone(env.Console.TimeZone).ToShortString(),
                });
                env.Console.Out.WriteLine(JsonSerializer.Serialize(items));
                return ExitCodes.Ok;
            }
            var table = new TextTable().AddColumn(" ID").AddColumn("User").AddColumn("Host").AddColumn("Created");
            foreach (var k in keys)
            {
                table.AddRow((k.IsCurrent ? "*" : " ") + k.Name[..8], k.File.Username, k.File.Hostname, k.File.Created.InZone(env.Console.TimeZone).ToShortString());
            }
            table.Write(env.Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command AddOrPasswd(CommandEnv env, string name, string description, bool replace)
    {
        var newPasswordFile = new Option<string?>("--new-password-file") { Description = "file from which to read the new password" };
        var user = new Option<string?>("--user") { Description = "the username for new key" };
        var host = new Option<string?>("--host") { Description = "the hostname for new key" };
        var command = new Command(name, description) { newPasswordFile, user, host };
        env.BindWithRepository(command, replace ? LockMode.Exclusive : LockMode.Shared, async (result, settings, session, ct) =>
        {
            var password = await PasswordSource.ResolveNewAsync(env.Console, result.GetValue(newPasswordFile), null, null, "enter new password: ", ct).ConfigureAwait(false);
            var current = KeyIdentity.Current;
            var identity = new KeyIdentity(result.GetValue(user) ?? current.Username, result.GetValue(host) ?? current.Hostname);
            var id = replace
                ? await KeyRing.ChangePasswordAsync(session.Repository, password, identity, ct).ConfigureAwait(false)
                : await KeyRing.AddAsync(session.Repository, password, identity, ct).ConfigureAwait(false);
            Array.Clear(password);
            env.Console.Out.WriteLine(replace ? "saved new key as " + id[..8] : $"saved new key with ID {id}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CommandEnv env)
    {
        var id = new Argument<string>("ID") { Description = "the key to remove (a unique prefix is enough)" };
        var command = new Command("remove", "Remove a key (password) from the repository") { id };
        env.BindWithRepository(command, LockMode.Exclusive, async (result, settings, session, ct) =>
        {
            var which = result.GetValue(id)!;
            await KeyRing.RemoveAsync(session.Repository, which, ct).ConfigureAwait(false);
            env.Console.Out.WriteLine($"removed key {which}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
